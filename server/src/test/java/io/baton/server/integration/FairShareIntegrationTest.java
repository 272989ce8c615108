package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fair turns between users on one pool (Temporal's fairness, the submitter as key) and quotas on what a user runs at
 * once, on a real cluster: one worker of two slots and two declared GPUs serves pool {@code fair}.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FairShareIntegrationTest {
    private static final String PROJECT = "fairness";
    private static final int STEPS = 30;
    private static final String WORKER = "fair1";
    private static final Map<String, String> WORKER_ENV =
            Map.of("BATON_SLOTS", "2", "BATON_GPUS", WorkersIntegrationTest.TWO_GPUS);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @BeforeAll
    static void project() {
        api.project(PROJECT);
        // its runs' plans carry the share (Temporal's fairness weight); the same for all three users here
        Api.Answer share = api.send("PUT", "/quotas/projects/" + PROJECT, Map.of("share", 1.5));
        assertThat(share.status()).as(share.text()).isEqualTo(200);
    }

    /** The steps of run {@code runId} that its workflow has handed to Temporal's queues and that wait there. */
    private static int queuedSteps(String runId) {
        WorkflowClient temporal = cluster.temporalClient();
        return temporal.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(temporal.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("run-" + runId))
                        .build())
                .getPendingActivitiesCount();
    }

    @Test
    @Order(1)
    void threeUsersTakeFairTurnsAndNoneRunsMoreGpusThanTheirQuota() throws Exception {
        List<String> users = List.of("fair-a", "fair-b", "fair-c");
        Map<String, Api> clients = new LinkedHashMap<>();
        for (String user : users) {
            clients.put(user, api.user(user));
            api.grant(PROJECT, user, "editor");
            Api.Answer quota = api.send("PUT", "/quotas/users/" + user, Map.of("gpus", 1));
            assertThat(quota.status()).as(quota.text()).isEqualTo(200);
        }
        StringBuilder spec = new StringBuilder("name: fair-share\nsteps:\n");
        for (int i = 1; i <= STEPS; i++) {
            spec.append("  - name: s")
                    .append(i)
                    .append("\n    pool: fair\n    resources: {gpus: 1}\n")
                    .append("    command: [\"sleep\", \"1\"]\n");
        }
        // user A's 30 steps are queued first, then B's and C's, all at once
        Map<String, String> runs = new LinkedHashMap<>();
        for (String user : users) {
            Api.Answer run = clients.get(user).post("/runs", Map.of("project", PROJECT, "spec", spec.toString()));
            assertThat(run.status()).as(run.text()).isEqualTo(201);
            runs.put(user, run.json().get("id").asText());
        }

        // the pool has no worker yet: every step is queued before the first poll, so that the queue alone decides
        // the order (with plain FIFO queues, user A would take the first 30 starts)
        for (String runId : runs.values()) {
            Wait.until(
                    "run " + runId + "'s steps to be queued",
                    Duration.ofSeconds(60),
                    () -> queuedSteps(runId) == STEPS);
        }
        cluster.startWorker(WORKER, List.of("fair"), WORKER_ENV);

        List<Attempt> attempts = new ArrayList<>();
        for (Map.Entry<String, String> run : runs.entrySet()) {
            JsonNode ended = Runs.awaitEnd(api, run.getValue(), Duration.ofSeconds(240));
            assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
            for (JsonNode step : ended.get("steps")) {
                assertThat(step.get("attempts")).as("attempts of " + step).hasSize(1);
                JsonNode a = step.get("attempts").get(0);
                attempts.add(new Attempt(
                        run.getKey(),
                        Instant.parse(a.get("startedAt").asText()),
                        Instant.parse(a.get("finishedAt").asText())));
            }
        }
        attempts.sort(Comparator.comparing(Attempt::start));

        Map<String, Integer> firstStarts = new LinkedHashMap<>();
        users.forEach(u -> firstStarts.put(u, 0));
        attempts.subList(0, STEPS).forEach(a -> firstStarts.merge(a.user(), 1, Integer::sum));
        System.out.println("fair shares among the first " + STEPS + " starts: " + firstStarts + "; order: "
                + attempts.stream().map(a -> a.user().substring(5)).toList());
        assertThat(firstStarts.values())
                .as("starts per user among the first 30: " + firstStarts)
                .allSatisfy(n -> assertThat(n).isBetween(7, 13));

        for (String user : users) {
            List<Attempt> own =
                    attempts.stream().filter(a -> a.user().equals(user)).toList();
            for (int i = 0; i < own.size(); i++) {
                for (int j = i + 1; j < own.size(); j++) {
                    Attempt a = own.get(i);
                    Attempt b = own.get(j);
                    assertThat(a.start().isBefore(b.end()) && b.start().isBefore(a.end()))
                            .as("%s ran two one-GPU steps at once (quota: 1 GPU): %s and %s", user, a, b)
                            .isFalse();
                }
            }
        }
    }

    @Test
    @Order(2)
    void aStepOverItsUsersQuotaWaitsSayingWhyWithoutSpendingAnAttempt() throws Exception {
        cluster.startWorker(WORKER, List.of("fair"), WORKER_ENV); // started by the first test, unless it runs alone
        Api dora = api.user("quota-dora");
        api.grant(PROJECT, "quota-dora", "editor");
        assertThat(api.send("PUT", "/quotas/users/quota-dora", Map.of("steps", 1))
                        .status())
                .isEqualTo(200);
        Api.Answer run = dora.post("/runs", Map.of("project", PROJECT, "spec", """
                name: one-at-a-time
                steps:
                  - name: first
                    pool: fair
                    command: ["sleep", "3"]
                  - name: second
                    pool: fair
                    command: ["sleep", "3"]
                """));
        assertThat(run.status()).as(run.text()).isEqualTo(201);
        String id = run.json().get("id").asText();

        String reason = Wait.until("a step of run " + id + " to wait for dora's quota", Duration.ofSeconds(60), () -> {
            for (JsonNode step : api.get("/runs/" + id).json().get("steps")) {
                String why = step.path("reason").asText("");
                if (step.get("status").asText().equals("PENDING") && why.startsWith("waiting: user")) {
                    return why;
                }
            }
            return null;
        });
        assertThat(reason).isEqualTo("waiting: user quota-dora runs 1 of 1 step allowed");
        JsonNode quota = dora.get("/quotas/users/quota-dora").json();
        assertThat(quota.get("steps").asInt()).isEqualTo(1);
        assertThat(quota.get("running").get("steps").asInt()).isEqualTo(1);

        JsonNode ended = Runs.awaitEnd(api, id, Duration.ofSeconds(60));
        assertThat(ended.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode first = Runs.step(ended, "first").get("attempts");
        JsonNode second = Runs.step(ended, "second").get("attempts");
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        Instant firstEnd = Instant.parse(first.get(0).get("finishedAt").asText());
        Instant secondEnd = Instant.parse(second.get(0).get("finishedAt").asText());
        Instant firstStart = Instant.parse(first.get(0).get("startedAt").asText());
        Instant secondStart = Instant.parse(second.get(0).get("startedAt").asText());
        assertThat(firstStart.isBefore(secondEnd) && secondStart.isBefore(firstEnd))
                .as("both steps ran at once under a quota of 1 step")
                .isFalse();
    }

    @Test
    @Order(3)
    void aProjectWithTwiceTheShareGetsTwiceTheTurns() throws Exception {
        Map<String, String> projects = Map.of("share-x", "share-heavy", "share-y", "share-light");
        api.project("share-heavy").project("share-light");
        assertThat(api.send("PUT", "/quotas/projects/share-heavy", Map.of("share", 2))
                        .status())
                .isEqualTo(200);
        StringBuilder spec = new StringBuilder("name: weighted\nsteps:\n");
        for (int i = 1; i <= 12; i++) {
            spec.append("  - name: s").append(i).append("\n    pool: weighted\n    command: [\"sleep\", \"1\"]\n");
        }
        Map<String, String> runs = new LinkedHashMap<>();
        for (Map.Entry<String, String> user : projects.entrySet()) {
            Api client = api.user(user.getKey());
            api.grant(user.getValue(), user.getKey(), "editor");
            Api.Answer run = client.post("/runs", Map.of("project", user.getValue(), "spec", spec.toString()));
            assertThat(run.status()).as(run.text()).isEqualTo(201);
            runs.put(user.getKey(), run.json().get("id").asText());
        }
        for (String runId : runs.values()) {
            Wait.until(
                    "run " + runId + "'s steps to be queued", Duration.ofSeconds(60), () -> queuedSteps(runId) == 12);
        }
        cluster.startWorker("weighted1", List.of("weighted"), Map.of("BATON_SLOTS", "2"));

        List<Attempt> attempts = new ArrayList<>();
        for (Map.Entry<String, String> run : runs.entrySet()) {
            JsonNode ended = Runs.awaitEnd(api, run.getValue(), Duration.ofSeconds(120));
            assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
            for (JsonNode step : ended.get("steps")) {
                JsonNode a = step.get("attempts").get(0);
                attempts.add(new Attempt(
                        run.getKey(),
                        Instant.parse(a.get("startedAt").asText()),
                        Instant.parse(a.get("finishedAt").asText())));
            }
        }
        attempts.sort(Comparator.comparing(Attempt::start));
        long heavy = attempts.subList(0, 12).stream()
                .filter(a -> a.user().equals("share-x"))
                .count();
        System.out.println("weighted shares among the first 12 starts: share 2: " + heavy + ", share 1: " + (12 - heavy)
                + "; order: "
                + attempts.stream().map(a -> a.user().substring(6)).toList());
        assertThat(heavy)
                .as("starts of the share-2 project's user among the first 12")
                .isBetween(7L, 9L);
    }

    private record Attempt(String user, Instant start, Instant end) {}
}
