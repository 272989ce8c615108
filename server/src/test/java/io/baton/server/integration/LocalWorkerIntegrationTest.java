package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode's in-process worker (here on pool {@code inproc} of the test server) reports its attempts straight to
 * the recorder instead of over HTTP: everything a worker of its own reports must arrive the same way.
 */
@ExtendWith(ClusterExtension.class)
class LocalWorkerIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static Api api; // set by ClusterExtension

    @BeforeAll
    static void awaitTheInProcessWorker() {
        Wait.until("the in-process worker ONLINE", Duration.ofSeconds(60), () -> {
            for (JsonNode worker : api.get("/workers").json().get("items")) {
                if (worker.get("name").asText().equals("local")
                        && worker.get("status").asText().equals("ONLINE")) {
                    return true;
                }
            }
            return null;
        });
    }

    @Test
    void attemptsLogsMetricsAndOutputsOfTheInProcessWorkerAreRecordedAsAWorkersOwn() {
        int lines = 30_000; // several log batches of metric lines
        String spec = """
        name: in-process
        steps:
          - name: emit
            pool: inproc
            retries: 1
            command:
              - python3
              - -c
              - |
                import json, os, sys
                for i in range(%d):
                    print(json.dumps({"step": i, "loss": 1.0 / (i + 1)}))
                print("to stderr", file=sys.stderr)
                with open(os.path.join(os.environ["BATON_OUTPUTS"], "model.txt"), "w") as f:
                    f.write("weights")
                if os.environ["BATON_ATTEMPT"] == "1":
                    sys.exit(3)
            outputs: [model.txt]
          - name: read
            pool: inproc
            needs: [emit]
            inputs: {model: emit/model.txt}
            command: ["sh", "-c", "cat \\"$BATON_INPUTS/model/model.txt\\""]
        """.formatted(lines);
        JsonNode submitted = Runs.submit(api, spec, null, Map.of());
        String id = submitted.get("id").asText();
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode emit = Runs.step(run, "emit");
        assertThat(emit.get("attempts")).hasSize(2);
        JsonNode first = emit.get("attempts").get(0);
        JsonNode second = emit.get("attempts").get(1);
        assertThat(first.get("worker").asText()).isEqualTo("local");
        assertThat(first.get("status").asText()).isEqualTo("FAILED");
        assertThat(first.get("exitCode").asInt()).isEqualTo(3);
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");

        String logs = Runs.logs(api, id, "emit", "?attempt=2");
        assertThat(logs.lines().filter(l -> l.startsWith("{\"step\": ")).count())
                .isEqualTo(lines);
        assertThat(logs).contains("to stderr");
        assertThat(Runs.logs(api, id, "read", "")).contains("weights");

        JsonNode series = api.get("/runs/" + id + "/metrics").json().get("series");
        JsonNode loss = null;
        for (JsonNode s : series) {
            if (s.get("name").asText().equals("loss") && s.get("attempt").asInt() == 2) {
                loss = s;
            }
        }
        assertThat(loss).as(series.toString()).isNotNull();
        assertThat(loss.get("points")).hasSize(lines);
        assertThat(loss.get("points").get(lines - 1).get("x").get("step").asInt())
                .isEqualTo(lines - 1);
        assertThat(run.get("metrics").get("loss").asDouble()).isEqualTo(1.0 / lines);

        JsonNode artifacts = api.get("/runs/" + id + "/artifacts").json().get("items");
        assertThat(artifacts).anySatisfy(a -> {
            assertThat(a.get("step").asText()).isEqualTo("emit");
            assertThat(a.get("attempt").asInt()).isEqualTo(2);
            assertThat(a.get("path").asText()).isEqualTo("model.txt");
        });
    }
}
