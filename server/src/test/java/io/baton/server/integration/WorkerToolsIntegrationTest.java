package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker started from a checkout ({@code ./baton worker}: config/worker.yml, BATON_TOOLS exported by the
 * launcher) puts the tools environment first on its steps' PATH, as local mode does, so the examples run on it.
 */
class WorkerToolsIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void aStepOnAWorkerStartedFromTheCheckoutImportsNumpyAndScikitLearn() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin();
        cluster.startWorker("tools1", List.of("tools"));
        String spec = """
        name: tools
        steps:
          - name: imports
            pool: tools
            command: ["python3", "-c", "import sys, numpy, sklearn; print(sys.executable, numpy.__version__)"]
        """;

        JsonNode run = Runs.awaitEnd(
                api, Runs.submit(api, spec, null, Map.of()).get("id").asText(), RUN_TIMEOUT);

        String log = Runs.logs(api, run.get("id").asText(), "imports", "");
        assertThat(run.get("status").asText()).as(log).isEqualTo("SUCCEEDED");
        assertThat(log)
                .as("the tools environment's python ran the step")
                .startsWith(cluster.repo().resolve(".baton/tools/bin/python3").toString());
    }
}
