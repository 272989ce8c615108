package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/runs with param=, metric= and sort= over HTTP, on runs submitted through the API whose metrics a
 * worker reported through the worker API (no worker serves their pool, so nothing else writes to them).
 */
class RunsSearchIntegrationTest {
    private static final String SPEC = """
      name: sweep
      parameters:
        - {name: lr, type: float, default: 0.1}
        - {name: model, type: enum, choices: [tree, forest], default: tree}
      steps:
        - name: train
          pool: search-nobody
          command: ["true"]
      """;
    /** The last accuracy each run reports; every run first reports 0.99, which must not count. */
    private static final double[] ACCURACY = {0.7, 0.9, 0.8, 0.9, 0.6, 0.95, 0.85, 0.9};

    private static Api api;
    private static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void submitRunsAndReportTheirMetrics() throws Exception {
        TestCluster cluster = TestCluster.get();
        api = cluster.admin().project("search-e2e");
        Api.Answer token = api.post("/tokens", Map.of("kind", "worker", "name", "search-reporter"));
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        // an admin reports for the worker: no worker was given the step by Temporal, and a worker token may report
        // only steps it was given (WorkerTokensIntegrationTest)
        Api worker = api;
        long now = System.currentTimeMillis();
        for (int i = 0; i < ACCURACY.length; i++) {
            Api.Answer run = api.post(
                    "/runs",
                    Map.of(
                            "project",
                            "search-e2e",
                            "spec",
                            SPEC,
                            "parameters",
                            Map.of("lr", 0.01 * (i + 1), "model", i % 2 == 0 ? "tree" : "forest")));
            assertThat(run.status()).as(run.text()).isEqualTo(201);
            String id = run.json().get("id").asText();
            IDS.add(id);
            String attempts = "/runs/" + id + "/steps/train/attempts";
            assertThat(worker.post(attempts, Map.of("number", 1, "worker", "search-reporter"))
                            .status())
                    .isEqualTo(200);
            Api.Answer logs = worker.post(
                    attempts + "/1/logs",
                    Map.of(
                            "seq",
                            0,
                            "text",
                            "trained\n",
                            "packedMetrics",
                            Map.of(
                                    "accuracy",
                                    "[[0,0.99," + now + ",null],[1," + ACCURACY[i] + "," + (now + 1) + ",null]]")));
            assertThat(logs.status()).as(logs.text()).isEqualTo(204);
        }
    }

    @Test
    void filtersByParameterAndLastMetricValueSortedByTheMetricAcrossPages() {
        List<JsonNode> runs = allPages("/runs?project=search-e2e&param=model:eq:tree&param=lr:ge:0.02"
                + "&metric=accuracy:gt:0.65&sort=metric.accuracy:desc&limit=2");
        // runs 2, 4, 6 (model tree, lr >= 0.02) with last accuracy 0.8, 0.6, 0.85: 0.6 is filtered out
        assertThat(runs).extracting(r -> r.get("id").asText()).containsExactly(IDS.get(6), IDS.get(2));
        assertThat(runs)
                .extracting(r -> r.get("metrics").get("accuracy").asDouble())
                .containsExactly(0.85, 0.8);
    }

    @Test
    void tiesOnTheSortedMetricPageByIdWithoutRepeatsOrGaps() {
        List<String> ascending =
                allPages("/runs?project=search-e2e&metric=accuracy:ge:0.9&sort=metric.accuracy:asc" + "&limit=1")
                        .stream()
                        .map(r -> r.get("id").asText())
                        .toList();
        assertThat(ascending).containsExactly(IDS.get(1), IDS.get(3), IDS.get(7), IDS.get(5)); // 0.9 x3 by id, 0.95
    }

    @Test
    void badSearchesAreRefusedWith400SayingWhatIsWrong() {
        String byCreation = api.get("/runs?project=search-e2e&limit=1")
                .json()
                .get("nextCursor")
                .asText();
        Map<String, String> refused = Map.of(
                "?metric=accuracy:gt:high",
                "'high', which is not a number",
                "?metric=accuracy:between:1",
                "unknown op 'between'",
                "?param=lr",
                "is not <name>:<op>:<value>",
                "?param=model:lt:tree",
                "lt, le, gt and ge compare numbers",
                "?sort=metric.",
                "is not createdAt or metric.<name>",
                "?limit=many",
                "'limit' must be a whole number",
                "?cursor=not-a-cursor",
                "is not one this server gave out",
                "?sort=metric.accuracy&cursor=" + byCreation,
                "continues a list sorted by createdAt:desc");
        refused.forEach((query, message) -> {
            Api.Answer a = api.get("/runs" + query);
            assertThat(a.status()).as(query + ": " + a.text()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).isEqualTo("bad_request");
            assertThat(a.json().get("message").asText()).as(query).contains(message);
        });
    }

    private static List<JsonNode> allPages(String query) {
        List<JsonNode> runs = new ArrayList<>();
        String cursor = null;
        do {
            Api.Answer page = api.get(query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.json().get("items").forEach(runs::add);
            cursor = page.json().get("nextCursor").isNull()
                    ? null
                    : page.json().get("nextCursor").asText();
        } while (cursor != null && runs.size() <= ACCURACY.length);
        return runs;
    }
}
