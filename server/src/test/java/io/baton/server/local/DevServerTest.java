package io.baton.server.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevServerTest {
    @Test
    void everyDynamicConfigValueIsPassedAsItsOwnFlagAndTheHistoryQueuesAreReadWithoutTheDefaultCap() {
        List<String> arguments = DevServer.dynamicConfigArguments();
        assertEquals(0, arguments.size() % 2, arguments::toString);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < arguments.size(); i += 2) {
            assertEquals("--dynamic-config-value", arguments.get(i));
            String[] pair = arguments.get(i + 1).split("=", 2);
            assertEquals(2, pair.length, arguments.get(i + 1));
            values.put(pair[0], pair[1]);
        }
        // Temporal's default is 20 reads a second: every dispatch waited about 50 ms for the next read
        for (String queue : List.of("transfer", "timer", "visibility")) {
            assertTrue(Integer.parseInt(values.get("history." + queue + "ProcessorMaxPollRPS")) >= 1000, queue);
        }
        assertEquals("1", values.get("matching.numTaskqueueReadPartitions"));
        assertEquals("true", values.get("matching.enableFairness"));
        assertEquals("true", values.get("system.enableEagerWorkflowStart"));
    }
}
