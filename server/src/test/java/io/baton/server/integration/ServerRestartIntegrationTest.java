package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server process is killed (-9) while a run is running and started again: the run completes, nothing lost. */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class ServerRestartIntegrationTest {
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void killingTheServerMidRunLosesNoRunAndWritesNothingTwice() throws Exception {
        String spec = """
        name: survives
        steps:
          - name: first
            command: ["sh", "-c", "echo first-start; sleep 4; echo first-end"]
          - name: second
            needs: [first]
            command: ["sh", "-c", "echo second-done"]
        """;
        String id = Runs.submit(api, spec, null, null).get("id").asText();
        Wait.until(
                "the first step to run",
                Duration.ofSeconds(60),
                () -> "RUNNING"
                        .equals(Runs.step(api.get("/runs/" + id).json(), "first")
                                .get("status")
                                .asText()));

        cluster.killServer();
        cluster.startServer();

        JsonNode run = Runs.awaitEnd(api, id, Duration.ofSeconds(120));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        for (String name : List.of("first", "second")) {
            JsonNode step = Runs.step(run, name);
            assertThat(step.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(step.get("attempts")).hasSize(1);
        }
        String firstLog = Runs.logs(api, id, "first", "");
        assertThat(firstLog.split("first-start", -1)).hasSize(2);
        assertThat(firstLog.split("first-end", -1)).hasSize(2);
        assertThat(Runs.logs(api, id, "second", "")).isEqualTo("second-done\n");
        assertThat(api.get("/runs?limit=500").json().get("items").findValuesAsText("id"))
                .containsOnlyOnce(id);
    }
}
