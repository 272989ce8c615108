package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.MlflowScripts;
import io.baton.server.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MLflow's own Python client (mlflow-skinny, installed by {@code ./baton test} in {@code .baton/mlflow-client})
 * reads Baton's registry through the MLflow routes of project {@code tests} (tracking URI {@code {base}/p/tests}),
 * with a user's Baton token as its tracking token, and downloads a version's files by a {@code models:/name@alias}
 * URI; the server's own tracking URI is project {@code default}, and a user without a role in {@code tests} finds
 * nothing there.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class MlflowClientIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;
    private static String userToken;
    private static String workerToken;

    @BeforeAll
    static void makeTokens() throws Exception {
        api.project("tests");
        userToken = token("user", "mlflow-reader");
        workerToken = token("worker", "mlflow-worker");
    }

    @Test
    void mlflowClientListsModelsGetsVersionsByAliasAndSearchesVersions() throws Exception {
        String prefix = "mlflow-" + Long.toString(System.nanoTime(), 36);
        String name = prefix + "-iris";
        String runId = twoModelsRun();
        create(name, Map.of("team", "vision"));
        create(prefix + "-other", Map.of());
        register(name, runId, "train-a");
        approve(name, 1);
        register(name, runId, "train-b");
        moveAlias(name, "champion", 2);
        moveAlias(name, "champion", 1);

        JsonNode seen =
                MlflowScripts.run(cluster, userToken, "read_registry.py", name, "champion", runId, prefix, workerToken);

        assertThat(seen.get("models")).extracting(m -> m.get("name").asText()).containsExactly(name, prefix + "-other");
        JsonNode model = seen.get("model");
        assertThat(model.get("tags").get("team").asText()).isEqualTo("vision");
        assertThat(model.get("tags").get("baton.project").asText()).isEqualTo("tests");
        assertThat(model.get("aliases").get("champion").asText()).isEqualTo("1");
        assertThat(model.get("latest"))
                .extracting(v -> v.get("version").asText())
                .containsExactly("2");
        assertThat(seen.get("modelByName")).extracting(JsonNode::asText).containsExactly(name);
        assertThat(seen.get("modelPages")).extracting(JsonNode::asText).containsExactly(name, prefix + "-other");

        JsonNode champion = seen.get("byAlias");
        assertThat(champion.get("version").asText()).isEqualTo("1");
        assertThat(champion.get("runId").asText()).isEqualTo(runId);
        assertThat(champion.get("source").asText()).isEqualTo("baton://runs/" + runId + "/steps/train-a");
        assertThat(champion.get("status").asText()).isEqualTo("READY");
        assertThat(champion.get("stage").asText()).isEqualTo("None");
        assertThat(champion.get("tags").get("baton.status").asText()).isEqualTo("APPROVED");
        assertThat(champion.get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        assertThat(champion.get("updated").asLong())
                .isGreaterThan(champion.get("created").asLong());
        JsonNode pending = seen.get("version2");
        assertThat(pending.get("tags").get("baton.status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("aliases")).isEmpty();
        assertThat(pending.get("updated").asLong())
                .isEqualTo(pending.get("created").asLong());

        // newest update first, as MLflow: version 2 was registered after version 1 was approved
        assertThat(seen.get("versionsByName"))
                .extracting(v -> v.get("version").asText())
                .containsExactly("2", "1");
        assertThat(seen.get("versionsByRun"))
                .extracting(v -> v.get("name").asText() + "/" + v.get("version").asText())
                .containsExactly(name + "/2", name + "/1");
        assertThat(seen.get("approved")).extracting(JsonNode::asText).containsExactly("1");
        assertThat(seen.get("versionPages")).extracting(JsonNode::asText).containsExactly("2", "1");
        assertThat(seen.get("latest"))
                .extracting(v -> v.get("version").asText())
                .containsExactly("2");

        assertThat(seen.get("downloadUri").asText())
                .isEqualTo(cluster.apiBase().replace("/api/v1", "/p/tests/api/2.0/mlflow-artifacts/artifacts/models/")
                        + name + "/1");
        assertThat(seen.get("downloaded").get("model.txt").asText()).isEqualTo("a\n");
        assertThat(seen.get("downloaded").get("conf/c.json").asText()).isEqualTo("{}\n");
        assertThat(seen.get("downloaded")).hasSize(2);

        assertThat(seen.get("missingModel").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(seen.get("missingVersion").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(seen.get("missingAlias").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(seen.get("unsupportedFilter").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(seen.get("writeRoute").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(seen.get("unknownToken").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(seen.get("workerToken").asText()).isEqualTo("PERMISSION_DENIED");

        // the server's own tracking URI is project default, where the model is not; a stranger to 'tests' sees nothing
        Api root = new Api(cluster.apiBase().replace("/api/v1", ""), userToken);
        String get = "/api/2.0/mlflow/registered-models/get?name=" + name;
        assertThat(root.get("/p/tests" + get).status()).isEqualTo(200);
        Api.Answer inDefault = root.get(get);
        assertThat(inDefault.status()).isEqualTo(404);
        assertThat(inDefault.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Api stranger = new Api(
                cluster.apiBase().replace("/api/v1", ""),
                api.user("mlflow-stranger-" + Long.toString(System.nanoTime(), 36))
                        .token());
        for (String route : List.of(
                get,
                "/api/2.0/mlflow/registered-models/search",
                "/api/2.0/mlflow/model-versions/get?name=" + name + "&version=1",
                "/api/2.0/mlflow-artifacts/artifacts?path=models/" + name + "/1",
                "/api/2.0/mlflow-artifacts/artifacts/models/" + name + "/1/model.txt")) {
            Api.Answer hidden = stranger.get("/p/tests" + route);
            assertThat(hidden.status()).as(route).isEqualTo(404);
            assertThat(hidden.json().get("error_code").asText()).as(route).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }
        assertThat(stranger.get("/api/2.0/mlflow/registered-models/search").status())
                .as("the default project is open to everyone")
                .isEqualTo(200);
    }

    private static String token(String kind, String name) {
        Api.Answer token = api.post("/tokens", Map.of("kind", kind, "name", name));
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        return token.json().get("token").asText();
    }

    /** A run whose two steps write different files, the first also one in a folder: two versions to register. */
    private static String twoModelsRun() {
        String spec = """
        name: mlflow-models
        steps:
          - name: train-a
            command:
              - sh
              - -c
              - cd "$BATON_OUTPUTS" && echo a > model.txt && mkdir conf && echo '{}' > conf/c.json
            outputs: [model.txt, conf/c.json]
          - name: train-b
            command: ["sh", "-c", "echo b > \\"$BATON_OUTPUTS/model.txt\\""]
            outputs: [model.txt]
        """;
        String runId = Runs.submit(api, spec, null, null).get("id").asText();
        assertThat(Runs.awaitEnd(api, runId, RUN_TIMEOUT).get("status").asText())
                .isEqualTo("SUCCEEDED");
        return runId;
    }

    private static void create(String name, Map<String, String> tags) {
        Api.Answer a = api.post("/models", Map.of("name", name, "project", "tests", "tags", tags));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
    }

    private static void register(String model, String runId, String step) {
        Api.Answer a = api.post("/models/" + model + "/versions?project=tests", Map.of("run", runId, "step", step));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
    }

    private static void approve(String model, int version) {
        Api.Answer a = api.send(
                "PATCH", "/models/" + model + "/versions/" + version + "?project=tests", Map.of("status", "APPROVED"));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
    }

    private static void moveAlias(String model, String alias, int version) {
        Api.Answer a = api.send(
                "PUT", "/models/" + model + "/aliases/" + alias + "?project=tests", Map.of("version", version));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
    }

    /** Runs the script with MLflow's client as a child process and reads the JSON it prints. */
}
