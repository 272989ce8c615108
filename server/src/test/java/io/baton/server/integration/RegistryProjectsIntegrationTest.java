package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two users in two projects: a dataset and a model of the same name live in both, neither user can learn anything of
 * the other's (versions, files, aliases, lineage, MLflow views: 404 as if absent), a viewer cannot write, an editor
 * without 'promote' cannot move {@code production} but moves other aliases, and no alias points at a REJECTED version.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class RegistryProjectsIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void twoUsersInTwoProjectsShareNamesButNothingElse() throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String pa = "pa-" + suffix;
        String pb = "pb-" + suffix;
        api.project(pa).project(pb);
        Api a = api.user("reg-a-" + suffix);
        Api b = api.user("reg-b-" + suffix);
        Api viewer = api.user("reg-v-" + suffix);
        api.grant(pa, "reg-a-" + suffix, "editor");
        api.grant(pb, "reg-b-" + suffix, "editor", "promote");
        api.grant(pa, "reg-v-" + suffix, "viewer");

        // the same names in both projects, each user in their own
        String shaA = setUp(a, pa, "points of a\n");
        String shaB = setUp(b, pb, "points of b\n");
        assertThat(shaA).isNotEqualTo(shaB);
        assertThat(a.get("/models/shared?project=" + pa).json().get("project").asText())
                .isEqualTo(pa);
        assertThat(b.get("/models/shared?project=" + pb).json().get("project").asText())
                .isEqualTo(pb);
        assertThat(b.get("/datasets/shared/versions/1?project=" + pb)
                        .json()
                        .get("files")
                        .get(0)
                        .get("sha256")
                        .asText())
                .isEqualTo(shaB);

        // A learns nothing of B's: every route answers as if it did not exist
        String inB = "?project=" + pb;
        List<String> hidden = List.of(
                "/datasets" + inB,
                "/datasets/shared" + inB,
                "/datasets/shared/versions" + inB,
                "/datasets/shared/versions/1" + inB,
                "/models" + inB,
                "/models/shared" + inB,
                "/models/shared/versions" + inB,
                "/models/shared/versions/1" + inB,
                "/models/shared/versions/1/lineage" + inB,
                "/models/shared/aliases" + inB,
                "/models/shared/aliases/production" + inB,
                "/models/shared/aliases/production/history" + inB,
                "/artifacts/" + shaB + "/lineage",
                "/artifacts/" + shaB + "/lineage" + inB);
        String nowhere = "pz-" + suffix; // a project that does not exist
        String noBlob = "0".repeat(64);
        for (String route : hidden) {
            Api.Answer answer = a.get(route);
            assertThat(answer.status()).as(route + ": " + answer.text()).isEqualTo(404);
            Api.Answer absent = a.get(route.replace(pb, nowhere).replace(shaB, noBlob));
            assertThat(answer.text().replace(pb, nowhere).replace(shaB, noBlob))
                    .as("%s answers as if B's object did not exist", route)
                    .isEqualTo(absent.text());
        }
        assertThat(a.post("/datasets/shared/versions" + inB, Map.of("files", List.of()))
                        .status())
                .as("a write to B's dataset")
                .isEqualTo(404);
        assertThat(a.send("PUT", "/models/shared/aliases/staging" + inB, Map.of("version", 1))
                        .status())
                .isEqualTo(404);
        assertThat(a.post("/models", Map.of("name", "intruder", "project", pb)).status())
                .isEqualTo(404);
        assertThat(names(a, "/datasets"))
                .as("A's list shows the projects A may read")
                .contains(pa + "/shared")
                .doesNotContain(pb + "/shared");
        assertThat(names(a, "/models")).contains(pa + "/shared").doesNotContain(pb + "/shared");
        assertThat(names(api, "/models")).as("a global admin's").contains(pa + "/shared", pb + "/shared");
        assertThat(b.get("/artifacts/" + shaB + "/lineage").json().get("datasets"))
                .extracting(d -> d.get("project").asText() + "/" + d.get("name").asText())
                .containsExactly(pb + "/shared");

        // MLflow: one project per tracking URI, and B's is closed to A
        Api mlflowA = new Api(cluster.apiBase().replace("/api/v1", ""), a.token());
        String get = "/api/2.0/mlflow/registered-models/get?name=shared";
        assertThat(mlflowA.get("/p/" + pa + get)
                        .json()
                        .at("/registered_model/name")
                        .asText())
                .isEqualTo("shared");
        Api.Answer mlflowHidden = mlflowA.get("/p/" + pb + get);
        assertThat(mlflowHidden.status()).isEqualTo(404);
        assertThat(mlflowHidden.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(mlflowA.get("/p/" + pb + "/api/2.0/mlflow-artifacts/artifacts?path=models/shared/1")
                        .status())
                .isEqualTo(404);

        // a run of A's project names B's dataset: refused as if it did not exist; the admin, who may read both, may
        String crossSpec = """
        name: cross
        steps:
          - name: read
            command: ["sh", "-c", "cat $BATON_INPUTS/d/points.csv"]
            inputs: {d: "dataset://%s/shared@latest"}
        """.formatted(pb);
        Api.Answer refused = a.post("/runs", Map.of("project", pa, "spec", crossSpec));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("message").asText()).contains("there is no dataset '" + pb + "/shared'");
        Api.Answer crossed = api.post("/runs", Map.of("project", pa, "spec", crossSpec));
        assertThat(crossed.status()).as(crossed.text()).isEqualTo(201);
        String crossedId = crossed.json().get("id").asText();
        assertThat(Runs.awaitEnd(api, crossedId, RUN_TIMEOUT).get("status").asText())
                .isEqualTo("SUCCEEDED");
        assertThat(Runs.logs(api, crossedId, "read", "")).contains("points of b");

        // a viewer reads but may not write
        String inA = "?project=" + pa;
        assertThat(viewer.get("/models/shared" + inA).status()).isEqualTo(200);
        assertThat(viewer.send("PUT", "/models/shared/aliases/staging" + inA, Map.of("version", 1))
                        .status())
                .isEqualTo(403);
        assertThat(viewer.send("PATCH", "/models/shared/versions/1" + inA, Map.of("status", "APPROVED"))
                        .status())
                .isEqualTo(403);
        Api.Answer viewerUpload = viewer.postRaw(
                "/datasets/shared/versions" + inA, "application/gzip", Bundles.of(Map.of("x", "y")), Map.of());
        assertThat(viewerUpload.status()).as(viewerUpload.text()).isEqualTo(403);
        assertThat(viewer.post("/datasets", Map.of("name", "mine", "project", pa))
                        .status())
                .isEqualTo(403);

        // an editor without 'promote' moves any alias but a protected one
        Api.Answer production = a.send("PUT", "/models/shared/aliases/production" + inA, Map.of("version", 1));
        assertThat(production.status()).as(production.text()).isEqualTo(403);
        assertThat(production.json().get("message").asText()).contains("is protected");
        assertThat(a.send("PUT", "/models/shared/aliases/staging" + inA, Map.of("version", 1))
                        .status())
                .isEqualTo(200);
        assertThat(b.send("PUT", "/models/shared/aliases/production" + inB, Map.of("version", 1))
                        .status())
                .as("B has 'promote' in B's project")
                .isEqualTo(200);
        assertThat(a.send("PATCH", "/models/shared" + inA, Map.of("protectedAliases", List.of()))
                        .status())
                .as("only a project admin says which aliases are protected")
                .isEqualTo(403);
        Api.Answer unprotected = api.send("PATCH", "/models/shared" + inA, Map.of("protectedAliases", List.of()));
        assertThat(unprotected.status()).as(unprotected.text()).isEqualTo(200);
        assertThat(a.send("PUT", "/models/shared/aliases/production" + inA, Map.of("version", 1))
                        .status())
                .isEqualTo(200);

        // no alias points at a REJECTED version
        Api.Answer rejected =
                a.send("PATCH", "/models/shared/versions/2" + inA, Map.of("status", "REJECTED", "note", "worse"));
        assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
        assertThat(rejected.json().get("statusBy").asText()).isEqualTo("reg-a-" + suffix);
        String idOfA = a.get("/me").json().at("/user/id").asText();
        assertThat(rejected.json().get("statusById").asText()).isEqualTo(idOfA);
        assertThat(a.get("/models/shared" + inA).json().get("createdById").asText())
                .isEqualTo(idOfA);
        assertThat(a.get("/models/shared/aliases/staging/history" + inA)
                        .json()
                        .at("/items/0/movedById")
                        .asText())
                .isEqualTo(idOfA);
        Api.Answer onRejected = a.send("PUT", "/models/shared/aliases/staging" + inA, Map.of("version", 2));
        assertThat(onRejected.status()).isEqualTo(409);
        assertThat(onRejected.json().get("message").asText()).contains("is REJECTED");
        assertThat(a.send("PATCH", "/models/shared/versions/1" + inA, Map.of("status", "REJECTED"))
                        .status())
                .as("version 1 has aliases")
                .isEqualTo(409);
        assertThat(a.get("/models/shared/aliases/staging" + inA)
                        .json()
                        .get("version")
                        .asInt())
                .isEqualTo(1);
    }

    /**
     * As {@code user}, an editor of {@code project}: dataset {@code shared} with one uploaded version, and model
     * {@code shared} with two versions from a run's two steps; the dataset file's sha256.
     */
    private static String setUp(Api user, String project, String points) throws Exception {
        Api.Answer dataset = user.post("/datasets", Map.of("name", "shared", "project", project));
        assertThat(dataset.status()).as(dataset.text()).isEqualTo(201);
        Api.Answer version = user.postRaw(
                "/datasets/shared/versions?project=" + project,
                "application/gzip",
                Bundles.of(Map.of("points.csv", points)),
                Map.of());
        assertThat(version.status()).as(version.text()).isEqualTo(201);
        Api.Answer model = user.post("/models", Map.of("name", "shared", "project", project));
        assertThat(model.status()).as(model.text()).isEqualTo(201);
        assertThat(model.json().get("protectedAliases"))
                .extracting(JsonNode::asText)
                .containsExactly("production");

        String spec = """
        name: two-weights
        steps:
          - {name: s1, command: ["sh", "-c", "echo %1$s-1 > $BATON_OUTPUTS/w.bin"], outputs: [w.bin]}
          - {name: s2, command: ["sh", "-c", "echo %1$s-2 > $BATON_OUTPUTS/w.bin"], outputs: [w.bin]}
        """.formatted(project);
        Api.Answer run = api.post("/runs", Map.of("project", project, "spec", spec));
        assertThat(run.status()).as(run.text()).isEqualTo(201);
        String runId = run.json().get("id").asText();
        assertThat(Runs.awaitEnd(api, runId, RUN_TIMEOUT).get("status").asText())
                .isEqualTo("SUCCEEDED");
        for (String step : List.of("s1", "s2")) {
            Api.Answer registered =
                    user.post("/models/shared/versions?project=" + project, Map.of("run", runId, "step", step));
            assertThat(registered.status()).as(registered.text()).isEqualTo(201);
            assertThat(registered.json().get("project").asText()).isEqualTo(project);
        }
        return version.json().get("files").get(0).get("sha256").asText();
    }

    /** Every item of a list as project/name, page after page. */
    private static List<String> names(Api user, String list) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = user.get(list + "?limit=200" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("items")
                    .forEach(i -> names.add(
                            i.get("project").asText() + "/" + i.get("name").asText()));
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asText();
        } while (cursor != null);
        return names;
    }
}
