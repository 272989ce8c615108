package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/v1/runs/{id}?wait=}: one request that answers when the run ends, through the real stack. */
@ExtendWith(ClusterExtension.class)
class RunWaitIntegrationTest {
    private static Api api; // set by ClusterExtension

    private static String submit(String command) {
        String spec = """
        name: waited
        steps:
          - name: only
            pool: inproc
            command: %s
        """.formatted(command);
        return Runs.submit(api, spec, null, null).get("id").asText();
    }

    @Test
    void aWaitAnswersOnceTheRunHasEnded() {
        String id = submit("[\"sleep\", \"2\"]");
        long start = System.nanoTime();
        Api.Answer answer = api.get("/runs/" + id + "?wait=60s");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        Instant answered = Instant.now();

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode run = answer.json();
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(tookMs)
                .as("the request waited for the 2 s step, and no longer than its wait")
                .isBetween(1_500L, 59_000L);
        // answered promptly after the end (RunEndWaitsTest proves that the recorder's commit wakes the request at once)
        Instant finished = Instant.parse(run.get("finishedAt").asText());
        assertThat(Duration.between(finished, answered)).isLessThan(Duration.ofSeconds(3));
        // a run that has ended answers at once, however long the wait
        start = System.nanoTime();
        assertThat(api.get("/runs/" + id + "?wait=60s").json().get("status").asText())
                .isEqualTo("SUCCEEDED");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
    }

    @Test
    void aWaitThatRunsOutAnswersTheRunAsItIs() {
        String id = submit("[\"sleep\", \"60\"]");
        try {
            long start = System.nanoTime();
            Api.Answer answer = api.get("/runs/" + id + "?wait=1500ms");
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().get("status").asText()).isIn("QUEUED", "RUNNING");
            assertThat(tookMs).isBetween(1_400L, 10_000L);
        } finally {
            api.post("/runs/" + id + "/cancel", null);
        }
    }

    @Test
    void badWaitsAndUnknownRunsAreRefusedAtOnce() {
        String id = submit("[\"true\"]");
        Api.Answer words = api.get("/runs/" + id + "?wait=soon");
        assertThat(words.status()).isEqualTo(400);
        assertThat(words.json().get("message").asText()).contains("'wait'").contains("not a duration");

        Api.Answer tooLong = api.get("/runs/" + id + "?wait=5m");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("message").asText()).contains("at most 1m");

        long start = System.nanoTime();
        Api.Answer unknown = api.get("/runs/no-such-run?wait=30s");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("no-such-run");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);

        Api.Answer stranger = api.withToken("not-a-token").get("/runs/" + id + "?wait=30s");
        assertThat(stranger.status()).isEqualTo(401);
    }
}
