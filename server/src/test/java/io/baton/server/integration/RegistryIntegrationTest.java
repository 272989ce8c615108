package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Versioning, datasets, the model registry and lineage through the real parts: a dataset feeds a pipeline whose
 * step registers a model version, an alias moves, a champion run takes the model by alias, lineage walks back to
 * the bundle and the dataset, and a reproduction gives the same hashes.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class RegistryIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final String SPEC = """
      name: registry-flow
      parameters:
        - {name: scale, type: integer, default: 2}
      steps:
        - name: prepare
          command: ["python3", "prepare.py"]
          inputs: {raw: "dataset://reg-points@latest"}
          outputs: [features.txt]
        - name: train
          needs: [prepare]
          command: ["python3", "train.py", "{parameters.scale}"]
          inputs: {features: prepare/features.txt}
          outputs: [model.txt]
          register: {model: reg-model, path: model.txt, description: scaled sum}
      """;
    private static final String CHAMPION_SPEC = """
      name: champion
      steps:
        - name: evaluate
          command: ["python3", "evaluate.py"]
          inputs: {champion: "model://reg-model@production"}
      """;
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;
    private static String bundle;

    @BeforeAll
    static void uploadBundleAndCreateDataset() throws Exception {
        api.project("tests").project("elsewhere");
        bundle = Runs.uploadBundle(
                api,
                Bundles.of(Map.of(
                        "prepare.py", """
            import os
            rows = open(os.path.join(os.environ['BATON_INPUTS'], 'raw', 'points.csv')).read().split()
            with open(os.path.join(os.environ['BATON_OUTPUTS'], 'features.txt'), 'w') as f:
                f.write(str(sum(int(r) for r in rows)))
            """,
                        "train.py", """
            import json, os, sys
            total = int(open(os.path.join(os.environ['BATON_INPUTS'], 'features', 'features.txt')).read())
            model = total * int(sys.argv[1])
            print(json.dumps({'loss': 1.0 / model}))
            with open(os.path.join(os.environ['BATON_OUTPUTS'], 'model.txt'), 'w') as f:
                f.write('model=%d' % model)
            """,
                        "evaluate.py", """
            import os
            print('champion says ' + open(os.path.join(os.environ['BATON_INPUTS'], 'champion', 'model.txt')).read())
            """)));
        Api.Answer created = api.post(
                "/datasets", Map.of("name", "reg-points", "project", "tests", "description", "numbers to add up"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @Test
    void aDatasetFeedsARunWhoseModelIsRegisteredAliasedUsedTracedAndReproduced() throws Exception {
        JsonNode v1 = uploadDatasetVersion(Map.of("points.csv", "1\n2\n3\n"));
        assertThat(v1.get("version").asInt()).isEqualTo(1);

        // a run takes dataset@latest (version 1) and its train step registers model version 1
        JsonNode first = Runs.awaitEnd(api, submit(SPEC, Map.of("scale", 2)), RUN_TIMEOUT);
        assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        String firstId = first.get("id").asText();
        assertThat(Runs.step(first, "train").get("reason").asText())
                .isEqualTo("registered as model reg-model version 1");
        String modelSha =
                Runs.step(first, "train").get("outputs").get(0).get("sha256").asText();

        JsonNode version1 =
                api.get("/models/reg-model/versions/1?project=tests").json();
        assertThat(version1.get("project").asText()).isEqualTo("tests");
        assertThat(version1.get("run").asText()).isEqualTo(firstId);
        assertThat(version1.get("step").asText()).isEqualTo("train");
        assertThat(version1.get("status").asText()).isEqualTo("PENDING");
        assertThat(version1.get("files").get(0).get("sha256").asText()).isEqualTo(modelSha);
        assertThat(version1.get("metrics").get("loss").asDouble()).isEqualTo(1.0 / 12);

        // a second run with another parameter registers version 2; the alias moves 1 -> 2 and both moves are kept
        JsonNode second = Runs.awaitEnd(api, submit(SPEC, Map.of("scale", 3)), RUN_TIMEOUT);
        assertThat(Runs.step(second, "train").get("reason").asText())
                .isEqualTo("registered as model reg-model version 2");
        assertThat(api.send("PUT", "/models/reg-model/aliases/production?project=tests", Map.of("version", 1))
                        .status())
                .isEqualTo(200);
        Api.Answer moved = api.send("PUT", "/models/reg-model/aliases/production?project=tests", Map.of("version", 2));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().get("movedBy").asText()).isEqualTo("admin");
        JsonNode history = api.get("/models/reg-model/aliases/production/history?project=tests")
                .json()
                .get("items");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("from").asInt()).isEqualTo(1);
        assertThat(history.get(0).get("to").asInt()).isEqualTo(2);
        assertThat(history.get(1).get("from").isNull()).isTrue();
        assertThat(api.get("/models/reg-model?project=tests")
                        .json()
                        .get("aliases")
                        .get("production")
                        .asInt())
                .isEqualTo(2);
        // one page tells who trained version 2 (the run and its workflow), who approved and promoted it
        assertThat(api.send("PATCH", "/models/reg-model/versions/2?project=tests", Map.of("status", "APPROVED"))
                        .status())
                .isEqualTo(200);
        JsonNode story = Wait.until("the audit entries of version 2", Duration.ofSeconds(10), () -> {
            JsonNode s =
                    api.get("/models/reg-model/versions/2/story?project=tests").json();
            return s.get("audit").size() >= 2 ? s : null;
        });
        assertThat(story.get("run").get("id").asText())
                .isEqualTo(second.get("id").asText());
        assertThat(story.get("run").get("workflowId").asText())
                .isEqualTo(second.get("workflowId").asText());
        assertThat(story.get("audit").findValuesAsText("detail"))
                .containsExactly("alias production -> 2", "status APPROVED");
        assertThat(story.get("audit").findValuesAsText("user")).containsOnly("admin");
        assertThat(api.user("story-stranger")
                        .get("/models/reg-model/versions/2/story?project=tests")
                        .status())
                .isEqualTo(404);
        JsonNode aliases = api.get("/models/reg-model/aliases?project=tests").json();
        assertThat(aliases.get("items"))
                .singleElement()
                .satisfies(a -> assertThat(
                                a.get("alias").asText() + "=" + a.get("version").asInt())
                        .isEqualTo("production=2"));
        assertThat(aliases.get("nextCursor").isNull()).isTrue();

        Api.Answer review = api.send(
                "PATCH",
                "/models/reg-model/versions/2?project=tests",
                Map.of("status", "approved", "note", "beats version 1"));
        assertThat(review.status()).as(review.text()).isEqualTo(200);
        assertThat(review.json().get("status").asText()).isEqualTo("APPROVED");
        assertThat(review.json().get("statusBy").asText()).isEqualTo("admin");
        assertThat(review.json().get("aliases").get(0).asText()).isEqualTo("production");

        // a champion run takes model@production: version 2's file, and its record says so
        JsonNode champion = Runs.awaitEnd(api, submit(CHAMPION_SPEC, Map.of()), RUN_TIMEOUT);
        assertThat(champion.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.logs(api, champion.get("id").asText(), "evaluate", "")).contains("champion says model=18");
        JsonNode championRecord = record(champion.get("id").asText());
        assertThat(championRecord.get("inputs").get(0).get("resolved").asText()).isEqualTo("model:tests/reg-model/2");

        // lineage of version 2 reaches its runs' steps, the dataset version, and the code bundle
        JsonNode lineage =
                api.get("/models/reg-model/versions/2/lineage?project=tests").json();
        List<String> nodes = new ArrayList<>();
        lineage.get("nodes").forEach(n -> nodes.add(n.get("id").asText()));
        String secondId = second.get("id").asText();
        assertThat(nodes)
                .contains(
                        "model:tests/reg-model/2",
                        "step:" + secondId + "/train",
                        "step:" + secondId + "/prepare",
                        "run:" + secondId,
                        "dataset:tests/reg-points/1",
                        "bundle:" + bundle);
        assertThat(lineage.get("complete").asBoolean()).isTrue();
        assertThat(edges(lineage))
                .contains(
                        "bundle:" + bundle + " -code-> run:" + secondId,
                        "step:" + secondId + "/prepare -produced-> artifact:" + sha(second, "prepare"));

        // the artifact's own lineage: produced by the second run's train step, read by the champion run
        String v2Sha =
                Runs.step(second, "train").get("outputs").get(0).get("sha256").asText();
        JsonNode artifact = api.get("/artifacts/" + v2Sha + "/lineage").json();
        assertThat(artifact.get("producedBy").get(0).get("run").asText()).isEqualTo(secondId);
        assertThat(artifact.get("usedBy").get(0).get("run").asText())
                .isEqualTo(champion.get("id").asText());
        assertThat(artifact.get("usedBy").get(0).get("source").asText()).isEqualTo("model:tests/reg-model/2");
        assertThat(artifact.get("models").get(0).get("version").asInt()).isEqualTo(2);

        // the record of the first run is whole
        JsonNode record = record(firstId);
        assertThat(record.fieldNames())
                .toIterable()
                .contains(
                        "run",
                        "spec",
                        "specSha256",
                        "bundle",
                        "parameters",
                        "inputs",
                        "environment",
                        "hardware",
                        "steps",
                        "createdBy",
                        "trigger");
        assertThat(record.get("final").asBoolean()).isTrue();
        assertThat(record.get("bundle").get("sha256").asText()).isEqualTo(bundle);
        assertThat(record.get("trigger").get("kind").asText()).isEqualTo("user");
        assertThat(record.get("inputs").get(0).get("resolved").asText()).isEqualTo("dataset:tests/reg-points/1");
        JsonNode trainAttempt = recordStep(record, "train").get("attempts").get(0);
        assertThat(trainAttempt.get("outputs").get(0).get("sha256").asText()).isEqualTo(modelSha);
        assertThat(trainAttempt.get("metrics").get("loss").get("last").asDouble())
                .isEqualTo(1.0 / 12);
        assertThat(trainAttempt.get("hardware").get("worker").asText())
                .isEqualTo(trainAttempt.get("worker").asText())
                .isNotBlank();
        assertThat(trainAttempt.get("hardware").get("memoryBytes").asLong()).isPositive();
        assertThat(trainAttempt.get("environment").get("python")).isNotNull();
        assertThat(recordStep(record, "train")
                        .get("inputs")
                        .get(0)
                        .get("source")
                        .asText())
                .isEqualTo("step:prepare");
        Api.Answer download = api.get("/runs/" + firstId + "/record?download=true");
        assertThat(download.header("Content-Disposition"))
                .contains("attachment")
                .contains(firstId);

        // the dataset moves on; a reproduction of the first run still reads version 1 and makes the same files
        uploadDatasetVersion(Map.of("points.csv", "10\n20\n"));
        Api.Answer reproduced = api.post("/runs/" + firstId + "/reproduce", Map.of());
        assertThat(reproduced.status()).as(reproduced.text()).isEqualTo(201);
        assertThat(reproduced.json().get("reproducedFrom").asText()).isEqualTo(firstId);
        JsonNode again = Runs.awaitEnd(api, reproduced.json().get("id").asText(), RUN_TIMEOUT);
        assertThat(again.get("status").asText()).isEqualTo("SUCCEEDED");
        for (String step : List.of("prepare", "train")) {
            assertThat(sha(again, step)).as(step).isEqualTo(sha(first, step));
            assertThat(Runs.step(again, step).get("attempts"))
                    .as("%s ran again", step)
                    .hasSize(1);
        }
        assertThat(Runs.step(again, "train").get("reason").asText())
                .isEqualTo("the same files are model reg-model version 1 already");
        JsonNode againRecord = record(again.get("id").asText());
        assertThat(againRecord.get("trigger").get("kind").asText()).isEqualTo("reproduce");
        assertThat(againRecord.get("trigger").get("run").asText()).isEqualTo(firstId);
        assertThat(againRecord.get("inputs").get(0).get("resolved").asText()).isEqualTo("dataset:tests/reg-points/1");
    }

    @Test
    void badRegistryInputIsRefusedAndChangesNothing() {
        assertThat(api.post("/models", Map.of("name", "../escape")).status()).isEqualTo(400);
        assertThat(api.post("/models", Map.of("name", "a/b")).status()).isEqualTo(400);
        assertThat(api.post("/models", Map.of("name", "http://x")).status()).isEqualTo(400);
        assertThat(api.post("/datasets", Map.of("name", "a b")).status()).isEqualTo(400);
        assertThat(api.get("/models").json().get("items").toString()).doesNotContain("escape");

        assertThat(api.post("/models", Map.of("name", "bad-a", "project", "tests"))
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/models", Map.of("name", "bad-a", "project", "tests"))
                        .status())
                .isEqualTo(409);
        assertThat(api.post("/models", Map.of("name", "bad-other", "project", "elsewhere"))
                        .status())
                .isEqualTo(201);
        JsonNode run = Runs.awaitEnd(api, submit("""
        name: one-file
        steps:
          - {name: make, command: ["sh", "-c", "echo weights > $BATON_OUTPUTS/w.bin"], outputs: [w.bin]}
        """, Map.of()), RUN_TIMEOUT);
        String runId = run.get("id").asText();

        Api.Answer otherProject =
                api.post("/models/bad-other/versions?project=elsewhere", Map.of("run", runId, "step", "make"));
        assertThat(otherProject.status()).isEqualTo(400);
        assertThat(otherProject.json().get("message").asText())
                .contains("project 'tests'")
                .contains("'elsewhere'");
        assertThat(api.get("/models/bad-other?project=elsewhere")
                        .json()
                        .get("latestVersion")
                        .isNull())
                .isTrue();

        assertThat(api.post("/models/bad-a/versions?project=tests", Map.of("run", runId, "step", "make"))
                        .status())
                .isEqualTo(201);
        assertThat(api.post("/models/bad-a/versions?project=tests", Map.of("run", runId, "step", "make"))
                        .status())
                .as("the same files again give the same version")
                .isEqualTo(200);
        assertThat(api.post(
                                "/models/bad-a/versions?project=tests",
                                Map.of("run", runId, "step", "make", "path", "*.pkl"))
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/models/bad-a/versions?project=tests", Map.of("run", runId, "step", "ghost"))
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/models/bad-a/versions?project=tests", Map.of("run", "no-such-run", "step", "make"))
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/models/bad-a/versions/7?project=tests").status()).isEqualTo(404);
        assertThat(api.get("/models/ghost/versions/1?project=tests").status()).isEqualTo(404);

        assertThat(api.send("PUT", "/models/bad-a/aliases/prod?project=tests", Map.of("version", 1))
                        .status())
                .isEqualTo(200);
        Api.Answer unknownVersion = api.send("PUT", "/models/bad-a/aliases/prod?project=tests", Map.of("version", 7));
        assertThat(unknownVersion.status()).isEqualTo(400);
        assertThat(unknownVersion.json().get("message").asText()).isEqualTo("model 'bad-a' has no version 7");
        Api.Answer otherModel =
                api.send("PUT", "/models/bad-a/aliases/prod?project=tests", Map.of("model", "bad-other", "version", 1));
        assertThat(otherModel.status()).isEqualTo(400);
        assertThat(api.send("PUT", "/models/bad-a/aliases/latest?project=tests", Map.of("version", 1))
                        .status())
                .isEqualTo(400);
        assertThat(api.send("PUT", "/models/bad-a/aliases/prod?project=tests", Map.of())
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/models/bad-a/aliases/prod/history?project=tests")
                        .json()
                        .get("items"))
                .hasSize(1);
        assertThat(api.send("PATCH", "/models/bad-a/versions/1?project=tests", Map.of("status", "shipped"))
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/models/bad-a/versions/1?project=tests")
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("PENDING");

        // a spec naming a registry entry that does not exist makes no run
        int runsBefore =
                api.get("/runs?project=tests&limit=500").json().get("items").size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", "tests");
        body.put("spec", "name: p\nsteps:\n  - {name: a, command: x, inputs: {m: \"model://bad-a@staging\"}}\n");
        Api.Answer noAlias = api.post("/runs", body);
        assertThat(noAlias.status()).isEqualTo(400);
        assertThat(noAlias.json().get("message").asText()).contains("model 'bad-a' has no alias 'staging'");
        body.put("spec", "name: p\nsteps:\n  - {name: a, command: x, inputs: {m: \"model://bad-other/1\"}}\n");
        assertThat(api.post("/runs", body).json().get("message").asText())
                .contains("there is no model 'tests/bad-other'");
        body.put(
                "spec", "name: p\nsteps:\n  - {name: a, command: x, inputs: {m: \"model://elsewhere/bad-other/1\"}}\n");
        assertThat(api.post("/runs", body).json().get("message").asText())
                .contains("model 'elsewhere/bad-other' has no version 1");
        body.put("spec", "name: p\nsteps:\n  - {name: a, command: x, inputs: {d: \"dataset://ghost@latest\"}}\n");
        assertThat(api.post("/runs", body).status()).isEqualTo(400);
        assertThat(api.get("/runs?project=tests&limit=500").json().get("items").size())
                .isEqualTo(runsBefore);

        // a finished run's record takes no more reports
        String logsBefore = Runs.logs(api, runId, "make", "");
        Api.Answer lateLog =
                api.post("/runs/" + runId + "/steps/make/attempts/1/logs", Map.of("seq", 99, "text", "forged line\n"));
        assertThat(lateLog.status()).isEqualTo(409);
        Api.Answer lateFinish =
                api.post("/runs/" + runId + "/steps/make/attempts/1/finish", Map.of("status", "FAILED", "exitCode", 9));
        assertThat(lateFinish.status()).isEqualTo(409);
        assertThat(Runs.logs(api, runId, "make", "")).isEqualTo(logsBefore);
        assertThat(api.get("/runs/" + runId)
                        .json()
                        .get("steps")
                        .get(0)
                        .get("attempts")
                        .get(0)
                        .get("exitCode")
                        .asInt())
                .isZero();
        assertThat(api.post("/runs/" + runId + "/reproduce", Map.of()).status()).isEqualTo(201);
        assertThat(api.post("/runs/no-such-run/reproduce", Map.of()).status()).isEqualTo(404);

        // unsafe dataset archives are refused and leave no version
        assertThat(api.post("/datasets", Map.of("name", "bad-data", "project", "tests"))
                        .status())
                .isEqualTo(201);
        org.apache.commons.compress.archivers.tar.TarArchiveEntry escape =
                new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../../etc/evil");
        try {
            Api.Answer unsafe = api.postRaw(
                    "/datasets/bad-data/versions?project=tests",
                    "application/gzip",
                    Bundles.withEntry(escape, "x"),
                    Map.of());
            assertThat(unsafe.status()).isEqualTo(400);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(api.get("/datasets/bad-data?project=tests")
                        .json()
                        .get("latestVersion")
                        .isNull())
                .isTrue();
        assertThat(api.post(
                                "/datasets/bad-data/versions?project=tests",
                                Map.of("files", List.of(Map.of("path", "../x", "sha256", "0".repeat(64)))))
                        .status())
                .isEqualTo(400);
    }

    private static JsonNode uploadDatasetVersion(Map<String, String> files) throws Exception {
        Api.Answer a = api.postRaw(
                "/datasets/reg-points/versions?project=tests", "application/gzip", Bundles.of(files), Map.of());
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        return a.json();
    }

    private static String submit(String spec, Map<String, Object> parameters) {
        return Runs.submit(api, spec, bundle, parameters).get("id").asText();
    }

    private static JsonNode record(String runId) {
        Api.Answer a = api.get("/runs/" + runId + "/record");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.json();
    }

    private static JsonNode recordStep(JsonNode record, String name) {
        for (JsonNode s : record.get("steps")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + record);
    }

    private static String sha(JsonNode run, String step) {
        return Runs.step(run, step).get("outputs").get(0).get("sha256").asText();
    }

    private static List<String> edges(JsonNode lineage) {
        List<String> edges = new ArrayList<>();
        lineage.get("edges")
                .forEach(e -> edges.add(e.get("from").asText() + " -"
                        + e.get("relation").asText() + "-> " + e.get("to").asText()));
        return edges;
    }
}
