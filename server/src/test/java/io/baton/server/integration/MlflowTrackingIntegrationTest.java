package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.MlflowScripts;
import io.baton.server.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MLflow training code runs unchanged in a step (with the pinned mlflow-skinny of {@code .baton/mlflow-client}): its
 * metrics, params, tags and artifacts land in the attempt, as Baton's API shows; a notebook reads them back with
 * MLflow's client and a user's token, and cannot write. A step writes only its own run, and only while it runs.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "mlf1", pools = "mlf")
class MlflowTrackingIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void mlflowCodeInAStepLogsIntoItsAttemptAndANotebookReadsIt() throws Exception {
        Path python = MlflowScripts.python(cluster);
        String pipeline = "mlflow-train-" + Long.toString(System.nanoTime(), 36);
        String bundle = Runs.uploadBundle(
                api,
                Bundles.of(Map.of("train.py", Files.readString(Path.of("src/test/resources/mlflow/train_step.py")))));
        String spec = """
        name: %s
        parameters:
          - {name: seed, type: integer, default: 7}
        steps:
          - name: other
            pool: mlf
            command: ["true"]
          - name: train
            pool: mlf
            needs: [other]
            command: ["%s", "train.py"]
        """.formatted(pipeline, python);
        String runId = Runs.submit(api, spec, bundle, null).get("id").asText();
        JsonNode ended = Runs.awaitEnd(api, runId, RUN_TIMEOUT);
        String log = Runs.logs(api, runId, "train", "");
        assertThat(ended.get("status").asText()).as(log).isEqualTo("SUCCEEDED");

        JsonNode checks = new ObjectMapper().readTree(line(log, "MLFLOW_CHECKS "));
        String mlflowRun = checks.get("run_id").asText();
        assertThat(mlflowRun).matches("[a-zA-Z0-9][\\w\\-]{0,255}").startsWith(runId + "_");
        assertThat(checks.get("env_run_id_matches").asBoolean()).isTrue();
        assertThat(checks.get("changed_param").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(checks.get("other_run").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(checks.get("bad_batch").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(checks.get("half_written").asBoolean()).isFalse();

        // Baton's own API: the attempt's metric series
        JsonNode series = api.get("/runs/" + runId + "/metrics").json().get("series");
        Map<String, List<Double>> values = new TreeMap<>();
        for (JsonNode s : series) {
            if (s.get("step").asText().equals("train")) {
                List<Double> points = new ArrayList<>();
                s.get("points").forEach(p -> points.add(p.get("value").asDouble()));
                values.put(s.get("name").asText(), points);
            }
        }
        assertThat(values)
                .containsEntry("loss", List.of(1.0, 0.5, 1.0 / 3))
                .containsEntry("acc", List.of(0.9))
                .containsEntry("f1", List.of(0.75))
                .containsEntry("val_loss", List.of(0.5, 0.25));
        // the files it logged are outputs of the attempt; the record never holds the attempt's token
        assertThat(api.get("/runs/" + runId + "/artifacts").json().get("items"))
                .extracting(a -> a.get("step").asText() + ":" + a.get("path").asText())
                .containsExactly("train:mlflow/big.bin", "train:mlflow/model.txt", "train:mlflow/nested/dir/model.txt");
        String record = api.get("/runs/" + runId + "/record").text();
        JsonNode trainAttempt = new ObjectMapper()
                .readTree(record)
                .get("steps")
                .get(1)
                .get("attempts")
                .get(0);
        assertThat(trainAttempt.get("mlflow").get("params").get("optimizer").asText())
                .isEqualTo("sgd");
        assertThat(trainAttempt.get("mlflow").get("tags").get("team").asText()).isEqualTo("vision");
        assertThat(record.contains(line(log, "MLFLOW_TOKEN ")))
                .as("the token in the record")
                .isFalse();

        // a notebook: MLflow's client with a user's token, project read access
        String notebook = "mlflow-notebook-" + Long.toString(System.nanoTime(), 36);
        Api reader = api.user(notebook);
        api.grant("tests", notebook, "viewer");
        JsonNode seen = MlflowScripts.run(cluster, reader.token(), "read_tracking.py", pipeline, mlflowRun);
        assertThat(seen.get("experiments")).extracting(JsonNode::asText).contains(pipeline);
        assertThat(seen.get("experiment_id").asText()).isEqualTo(pipeline);
        assertThat(seen.get("experiment_by_id").asText()).isEqualTo(pipeline);
        assertThat(seen.get("found")).extracting(JsonNode::asText).containsExactly("train (attempt 1)");
        assertThat(seen.get("found_none").asInt()).isZero();
        JsonNode run = seen.get("run");
        assertThat(run.get("name").asText()).isEqualTo("train (attempt 1)");
        assertThat(run.get("status").asText()).isEqualTo("FINISHED");
        assertThat(run.get("experiment_id").asText()).isEqualTo(pipeline);
        assertThat(run.get("metrics").get("loss").asDouble()).isEqualTo(1.0 / 3);
        assertThat(run.get("metrics").get("val_loss").asDouble()).isEqualTo(0.25);
        assertThat(run.get("params").get("lr").asText()).isEqualTo("0.1");
        assertThat(run.get("params").get("optimizer").asText()).isEqualTo("sgd");
        assertThat(run.get("params").get("batch_size").asText()).isEqualTo("32");
        assertThat(run.get("params").get("seed").asText()).isEqualTo("7");
        assertThat(run.get("tags").get("stage").asText()).isEqualTo("dev");
        assertThat(run.get("tags").get("team").asText()).isEqualTo("vision");
        assertThat(run.get("tags").get("baton.run_id").asText()).isEqualTo(runId);
        assertThat(run.get("tags").get("baton.step").asText()).isEqualTo("train");
        assertThat(seen.get("history").toString()).isEqualTo("[[0,1.0],[1,0.5],[2,0.3333333333333333]]");
        assertThat(seen.get("artifacts_error"))
                .as("artifacts through MLflow's client")
                .isNull();
        assertThat(seen.get("artifacts"))
                .extracting(JsonNode::asText)
                .containsExactly("big.bin", "model.txt", "nested");
        assertThat(seen.get("downloaded").asText()).isEqualTo("weights\n");
        assertThat(seen.get("user_write").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(seen.get("missing_run").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        // the attempt has ended: its token writes nothing more
        Api root = new Api(cluster.apiBase().replace("/api/v1", ""), line(log, "MLFLOW_TOKEN "));
        Api.Answer late = root.post(
                "/p/tests/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", mlflowRun, "key", "loss", "value", 1.0, "timestamp", 1L, "step", 9));
        assertThat(late.status()).as(late.text()).isEqualTo(401);
        assertThat(late.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    }

    private static String line(String log, String prefix) {
        return log.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "' in the step's log:\n" + log));
    }
}
