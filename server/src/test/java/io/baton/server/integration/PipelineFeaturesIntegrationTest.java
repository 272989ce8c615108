package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline features on the real stack: DAGs handing outputs on, matrix steps, retries, timeouts, resume, cache,
 * approval, registered pipelines, artifacts, following logs.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class PipelineFeaturesIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    private static JsonNode run(String spec, Map<String, Object> parameters) {
        return Runs.awaitEnd(
                api, Runs.submit(api, spec, null, parameters).get("id").asText(), RUN_TIMEOUT);
    }

    @Test
    void diamondDagHandsOneOutputToTwoConsumersAndBothToTheJoin() {
        JsonNode run = run("""
        name: diamond
        steps:
          - name: source
            command: ["sh", "-c", "echo seed-42 > $BATON_OUTPUTS/data.txt"]
            outputs: [data.txt]
          - name: left
            needs: [source]
            inputs: {data: source/data.txt}
            command: ["sh", "-c", "sed s/seed/left/ $BATON_INPUTS/data/data.txt > $BATON_OUTPUTS/left.txt"]
            outputs: [left.txt]
          - name: right
            needs: [source]
            inputs: {data: source/data.txt}
            command: ["sh", "-c", "sed s/seed/right/ $BATON_INPUTS/data/data.txt > $BATON_OUTPUTS/right.txt"]
            outputs: [right.txt]
          - name: join
            needs: [left, right]
            inputs: {l: left/left.txt, r: right/*.txt}
            command: ["sh", "-c", "cat $BATON_INPUTS/l/left.txt $BATON_INPUTS/r/right.txt"]
        """, null);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        String id = run.get("id").asText();
        assertThat(Runs.logs(api, id, "join", "")).isEqualTo("left-42\nright-42\n");
        JsonNode source = Runs.step(run, "source");
        assertThat(source.get("outputs").get(0).get("path").asText()).isEqualTo("data.txt");
        String sha = source.get("outputs").get(0).get("sha256").asText();
        Api.Answer download = api.get("/artifacts/" + sha);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.text()).isEqualTo("seed-42\n");
        JsonNode artifacts = api.get("/runs/" + id + "/artifacts").json().get("items");
        assertThat(artifacts.findValuesAsText("path")).containsExactlyInAnyOrder("data.txt", "left.txt", "right.txt");
        assertThat(artifacts.get(0).get("size").asLong()).isPositive();
    }

    @Test
    void matrixOfFourFansInWithOneFolderPerProducer() {
        JsonNode run = run("""
        name: grid
        steps:
          - name: train
            matrix: {lr: [0.1, 0.01, 0.001, 0.0001]}
            command: ["sh", "-c", "echo lr={matrix.lr} env=$BATON_MATRIX_LR > $BATON_OUTPUTS/model.txt"]
            outputs: [model.txt]
          - name: pick
            needs: [train]
            inputs: {models: train/model.txt}
            command: ["sh", "-c", "cd $BATON_INPUTS/models && ls | sort && cat */model.txt | sort"]
        """, null);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        List<String> names = new ArrayList<>();
        run.get("steps").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names)
                .containsExactly("train[lr=0.1]", "train[lr=0.01]", "train[lr=0.001]", "train[lr=0.0001]", "pick");
        String log = Runs.logs(api, run.get("id").asText(), "pick", "");
        assertThat(log.lines().filter(l -> l.startsWith("train")).count()).isEqualTo(4);
        assertThat(log).contains("lr=0.0001 env=0.0001").contains("lr=0.1 env=0.1");
        assertThat(Runs.logs(api, run.get("id").asText(), "train[lr=0.01]", "")).isEmpty();
    }

    @Test
    void stepFailingTwiceThenSucceedingRecordsThreeAttempts() {
        JsonNode run = run("""
        name: twice
        steps:
          - name: flaky
            command: ["sh", "-c", "echo try $BATON_ATTEMPT; test $BATON_ATTEMPT -ge 3"]
            retries: {retries: 2, backoff: 100ms}
        """, null);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempts = Runs.step(run, "flaky").get("attempts");
        assertThat(attempts.findValuesAsText("status")).containsExactly("FAILED", "FAILED", "SUCCEEDED");
        assertThat(attempts.findValuesAsText("number")).containsExactly("1", "2", "3");
    }

    @Test
    void retriesAreSpentThenTheStepFails() {
        JsonNode run = run("""
        name: hopeless
        steps:
          - name: never
            command: ["sh", "-c", "exit 7"]
            retries: {retries: 1, backoff: 100ms}
        """, null);

        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        JsonNode step = Runs.step(run, "never");
        assertThat(step.get("attempts").findValuesAsText("exitCode")).containsExactly("7", "7");
        assertThat(step.get("exitCode").asInt()).isEqualTo(7);
    }

    @Test
    void stepRunningPastItsTimeoutIsKilledAndTimedOut() {
        JsonNode run = run("""
        name: slow
        steps:
          - name: sleeper
            command: ["sh", "-c", "echo started; sleep 60"]
            timeout: 1s
        """, null);

        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        JsonNode step = Runs.step(run, "sleeper");
        assertThat(step.get("status").asText()).isEqualTo("FAILED");
        assertThat(step.get("attempts").get(0).get("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(step.get("reason").asText()).contains("timed out");
        assertThat(PipelineIntegrationTest.stepProcesses(run.get("id").asText()))
                .isEmpty();
    }

    @Test
    void resumeAfterAFailureFixedByAParameterReusesWhatSucceeded() {
        String spec = """
        name: resumable
        parameters:
          - {name: fix, type: boolean, default: false}
        steps:
          - name: prepare
            command: ["sh", "-c", "echo prepared-$BATON_ATTEMPT > $BATON_OUTPUTS/p.txt"]
            outputs: [p.txt]
          - name: train
            needs: [prepare]
            inputs: {p: prepare/p.txt}
            command: ["sh", "-c", "cat $BATON_INPUTS/p/p.txt; test {parameters.fix} = true"]
        """;
        JsonNode failed = run(spec, null);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        String failedId = failed.get("id").asText();

        Api.Answer resumed = api.post("/runs/" + failedId + "/resume", Map.of("parameters", Map.of("fix", true)));
        assertThat(resumed.status()).as(resumed.text()).isEqualTo(201);
        assertThat(resumed.json().get("resumedFrom").asText()).isEqualTo(failedId);
        JsonNode run = Runs.awaitEnd(api, resumed.json().get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("parameters").get("fix").asBoolean()).isTrue();
        JsonNode prepare = Runs.step(run, "prepare");
        assertThat(prepare.get("status").asText()).isEqualTo("REUSED");
        assertThat(prepare.get("attempts")).isEmpty();
        assertThat(prepare.get("outputs").get(0).get("sha256").asText())
                .isEqualTo(Runs.step(failed, "prepare")
                        .get("outputs")
                        .get(0)
                        .get("sha256")
                        .asText());
        assertThat(Runs.logs(api, run.get("id").asText(), "train", "")).contains("prepared-1");
        JsonNode original = api.get("/runs/" + failedId).json();
        assertThat(original.get("status").asText()).isEqualTo("FAILED");
        assertThat(original.toString()).isEqualTo(failed.toString());
        assertThat(api.post("/runs/" + run.get("id").asText() + "/resume", Map.of())
                        .status())
                .isEqualTo(409);
    }

    @Test
    void cachedStepIsReusedWhenItsKeyMatchesAndRunAgainWhenItChanges() {
        String spec = """
        name: cached
        parameters:
          - {name: size, type: integer, default: 1}
        steps:
          - name: expensive
            cache: true
            command: ["sh", "-c", "echo $(date +%s%N) size={parameters.size} > $BATON_OUTPUTS/result.txt"]
            outputs: [result.txt]
          - name: use
            needs: [expensive]
            inputs: {r: expensive/result.txt}
            command: ["cat", "/dev/null"]
        """;
        JsonNode first = run(spec, Map.of("size", 1));
        JsonNode second = run(spec, Map.of("size", 1));
        JsonNode third = run(spec, Map.of("size", 2));

        assertThat(List.of(first, second, third))
                .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED"));
        JsonNode hit = Runs.step(second, "expensive");
        assertThat(Runs.step(first, "expensive").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(hit.get("status").asText()).isEqualTo("CACHED");
        assertThat(hit.get("cachedFrom").asText()).isEqualTo(first.get("id").asText());
        assertThat(hit.get("attempts")).isEmpty();
        assertThat(hit.get("outputs").get(0).get("sha256").asText())
                .isEqualTo(Runs.step(first, "expensive")
                        .get("outputs")
                        .get(0)
                        .get("sha256")
                        .asText());
        assertThat(Runs.step(third, "expensive").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.step(third, "expensive")
                        .get("outputs")
                        .get(0)
                        .get("sha256")
                        .asText())
                .isNotEqualTo(hit.get("outputs").get(0).get("sha256").asText());
    }

    @Test
    void approvalWaitsAcrossAServerRestartAndRecordsWhoAndTheirNote() throws Exception {
        String id = Runs.submit(api, """
        name: gated
        steps:
          - name: train
            command: ["true"]
          - name: deploy
            needs: [train]
            approval: true
            command: ["sh", "-c", "echo deployed"]
        """, null, null).get("id").asText();
        JsonNode waiting = Wait.until("deploy to wait for approval", Duration.ofSeconds(60), () -> {
            JsonNode step = Runs.step(api.get("/runs/" + id).json(), "deploy");
            return "WAITING".equals(step.get("status").asText()) ? step : null;
        });
        assertThat(waiting.get("reason").asText()).contains("approval");
        assertThat(api.post("/runs/" + id + "/steps/train/approve", Map.of()).status())
                .isEqualTo(409);

        cluster.killServer();
        cluster.startServer();
        assertThat(Runs.step(api.get("/runs/" + id).json(), "deploy")
                        .get("status")
                        .asText())
                .isEqualTo("WAITING");

        Api.Answer approved = api.post("/runs/" + id + "/steps/deploy/approve", Map.of("note", "metrics look good"));
        assertThat(approved.status()).as(approved.text()).isEqualTo(202);
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode deploy = Runs.step(run, "deploy");
        assertThat(deploy.get("approval").get("approved").asBoolean()).isTrue();
        assertThat(deploy.get("approval").get("by").asText()).isEqualTo("admin");
        assertThat(deploy.get("approval").get("note").asText()).isEqualTo("metrics look good");
        assertThat(Runs.logs(api, id, "deploy", "")).isEqualTo("deployed\n");
        assertThat(api.post("/runs/" + id + "/steps/deploy/reject", Map.of()).status())
                .isEqualTo(409);
    }

    @Test
    void rejectedStepFailsTheRunAndNeverRuns() {
        String id = Runs.submit(api, """
        name: refused
        steps:
          - name: deploy
            approval: true
            command: ["sh", "-c", "echo must-not-run"]
        """, null, null).get("id").asText();
        Wait.until(
                "deploy to wait",
                Duration.ofSeconds(60),
                () -> "WAITING"
                        .equals(Runs.step(api.get("/runs/" + id).json(), "deploy")
                                .get("status")
                                .asText()));

        assertThat(api.post("/runs/" + id + "/steps/deploy/reject", Map.of("note", "not today"))
                        .status())
                .isEqualTo(202);
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        JsonNode deploy = Runs.step(run, "deploy");
        assertThat(deploy.get("reason").asText()).isEqualTo("rejected by admin: not today");
        assertThat(deploy.get("attempts")).isEmpty();
        assertThat(deploy.get("approval").get("approved").asBoolean()).isFalse();
    }

    @Test
    void registeredPipelinesAreVersionedByContentAndRunByName() {
        String v1 = "name: registered\nsteps:\n  - name: a\n    command: [\"sh\", \"-c\", \"echo one\"]\n";
        String v2 = v1.replace("one", "two");
        api.project("reg");
        Api.Answer first = api.post("/pipelines", Map.of("project", "reg", "spec", v1));
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.json().get("version").asInt()).isEqualTo(1);
        Api.Answer again = api.post("/pipelines", Map.of("project", "reg", "spec", v1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("version").asInt()).isEqualTo(1);
        assertThat(api.post("/pipelines", Map.of("project", "reg", "spec", v2))
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(2);
        assertThat(api.get("/pipelines/registered/versions?project=reg")
                        .json()
                        .get("items")
                        .findValuesAsText("version"))
                .containsExactly("2", "1");

        Api.Answer byName = api.post("/runs", Map.of("project", "reg", "pipeline", "registered", "pipelineVersion", 1));
        assertThat(byName.status()).as(byName.text()).isEqualTo(201);
        JsonNode run = Runs.awaitEnd(api, byName.json().get("id").asText(), RUN_TIMEOUT);
        assertThat(run.get("pipelineVersion").asInt()).isEqualTo(1);
        assertThat(Runs.logs(api, run.get("id").asText(), "a", "")).isEqualTo("one\n");
        JsonNode latest = api.post("/runs", Map.of("project", "reg", "pipeline", "registered"))
                .json();
        assertThat(latest.get("pipelineVersion").asInt()).isEqualTo(2);
        assertThat(api.post("/runs", Map.of("project", "reg", "pipeline", "nope"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void followingALogStreamsItUntilTheStepEnds() {
        String id = Runs.submit(api, """
        name: chatty
        steps:
          - name: talk
            command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; sleep 0.3; done"]
        """, null, null).get("id").asText();
        Wait.until(
                "talk to start",
                Duration.ofSeconds(60),
                () -> Runs.step(api.get("/runs/" + id).json(), "talk")
                                .get("attempts")
                                .size()
                        == 1);

        String followed = Runs.logs(api, id, "talk", "?follow=true");

        assertThat(followed).isEqualTo("line-1\nline-2\nline-3\nline-4\nline-5\n");
        assertThat(Runs.logs(api, id, "talk", "?offset=7")).isEqualTo("line-2\nline-3\nline-4\nline-5\n");
    }
}
