package io.baton.server.security;

import static io.baton.server.security.RouteMatrixTest.Need.ANY_TOKEN;
import static io.baton.server.security.RouteMatrixTest.Need.APPROVE;
import static io.baton.server.security.RouteMatrixTest.Need.ATTEMPT;
import static io.baton.server.security.RouteMatrixTest.Need.GLOBAL_ADMIN;
import static io.baton.server.security.RouteMatrixTest.Need.OWN;
import static io.baton.server.security.RouteMatrixTest.Need.PROJECT_MANAGE;
import static io.baton.server.security.RouteMatrixTest.Need.PROMOTE;
import static io.baton.server.security.RouteMatrixTest.Need.PUBLIC;
import static io.baton.server.security.RouteMatrixTest.Need.USER_READ;
import static io.baton.server.security.RouteMatrixTest.Need.USER_WRITE;
import static io.baton.server.security.RouteMatrixTest.Need.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.InProcessServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The security matrix: every route the application serves (read from Jersey's resource model) has an entry saying
 * what it needs, and is called without a token, as a worker, as a user with no role in the object's project, as a
 * viewer, an editor and an editor who may approve and promote; each must answer as its entry says.
 */
class RouteMatrixTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    /** What a route needs. Project-scoped needs are about project {@code matrix} (P) or {@code default}. */
    enum Need {
        /** no token: health, login, OIDC, the codec route's preflight, the OpenAPI document */
        PUBLIC,
        /** any user's token, whatever their projects (what they get is their own or filtered) */
        ANY_TOKEN,
        /** a user's own thing (their user, their token): someone else's is a 404 */
        OWN,
        /** a role in the project: viewer and up */
        USER_READ,
        /** editor and up */
        USER_WRITE,
        /** the project's admin role */
        PROJECT_MANAGE,
        /** the 'approve' permission (or the project's admin role) */
        APPROVE,
        /** the 'promote' permission (or the project's admin role) */
        PROMOTE,
        /** a global admin */
        GLOBAL_ADMIN,
        /** the worker's own token */
        WORKER,
        /** a running attempt's own token (MLflow's tracking writes from a step): no user's, no other attempt's */
        ATTEMPT
    }

    /** One row of the table: a route (by its key), what it needs, and a request that reaches a real object of P. */
    record Entry(String key, Need need, String method, String path, Object body, String type, boolean workerToo) {
        Entry body(Object b) {
            return new Entry(key, need, method, path, b, type == null ? "application/json" : type, workerToo);
        }

        Entry raw(String contentType, byte[] b) {
            return new Entry(key, need, method, path, b, contentType, workerToo);
        }

        /** A worker's token may call it too (artifacts, blobs, /me). */
        Entry worker() {
            return new Entry(key, need, method, path, body, type, true);
        }
    }

    private static Entry e(Need need, String route, String path) {
        String method = route.substring(0, route.indexOf(' '));
        String key = route.replaceAll("\\{[^}]*}", "{}");
        return new Entry(key, need, method, path, null, null, false);
    }

    private static final String Q = "?project=" + World.P;
    private static final String ML = "/api/2.0/mlflow/";

    /** The table. A route the application serves without a row here fails the test. */
    static List<Entry> table() {
        byte[] tgz = bundle();
        List<Entry> t = new ArrayList<>(List.of(
                // public
                e(PUBLIC, "GET /api/v1/health", "/api/v1/health"),
                e(PUBLIC, "POST /api/v1/login", "/api/v1/login")
                        .body(Map.of("name", "loginuser", "password", World.PASSWORD)),
                e(PUBLIC, "OPTIONS /api/v1/temporal/codec/decode", "/api/v1/temporal/codec/decode"),
                e(PUBLIC, "OPTIONS /api/v1/temporal/codec/encode", "/api/v1/temporal/codec/encode"),
                e(PUBLIC, "GET /api/v1/login/oidc", "/api/v1/login/oidc"),
                e(PUBLIC, "GET /api/v1/login/oidc/callback", "/api/v1/login/oidc/callback?code=x&state=y"),
                e(PUBLIC, "GET /api/v1/openapi.json", "/api/v1/openapi.json"),
                e(PUBLIC, "GET /api/v1/docs", "/api/v1/docs"),
                e(PUBLIC, "GET /api/v1/docs/{file}", "/api/v1/docs/swagger-ui.css"),
                e(PUBLIC, "GET /api/v1/login/methods", "/api/v1/login/methods"),
                e(PUBLIC, "GET /", "/"),
                e(PUBLIC, "GET /assets/{file}", "/assets/none.js"),
                // any user
                e(ANY_TOKEN, "GET /api/v1/me", "/api/v1/me").worker(),
                e(ANY_TOKEN, "GET /api/v1/tokens", "/api/v1/tokens"),
                e(ANY_TOKEN, "POST /api/v1/tokens", "/api/v1/tokens").body(Map.of("kind", "user", "name", "mine")),
                e(ANY_TOKEN, "GET /api/v1/projects", "/api/v1/projects"),
                e(ANY_TOKEN, "POST /api/v1/projects", "/api/v1/projects").body(Map.of("name", "own-project")),
                e(ANY_TOKEN, "GET /api/v1/teams", "/api/v1/teams"),
                e(ANY_TOKEN, "GET /api/v1/teams/{team}", "/api/v1/teams/t1"),
                e(ANY_TOKEN, "GET /api/v1/workers", "/api/v1/workers"),
                e(ANY_TOKEN, "GET /api/v1/workers/{name}", "/api/v1/workers/w1"),
                e(ANY_TOKEN, "GET /api/v1/pools", "/api/v1/pools"),
                e(ANY_TOKEN, "POST /api/v1/pipelines/validate", "/api/v1/pipelines/validate")
                        .body(Map.of("spec", World.SPEC)),
                e(ANY_TOKEN, "POST /api/v1/blobs", "/api/v1/blobs")
                        .raw("application/octet-stream", "a blob".getBytes(StandardCharsets.UTF_8))
                        .worker(),
                e(USER_WRITE, "POST /api/v1/bundles", "/api/v1/bundles" + Q).raw("application/gzip", tgz),
                // one's own
                e(OWN, "GET /api/v1/users/{name}", "/api/v1/users/viewer"),
                e(OWN, "PUT /api/v1/users/{name}/password", "/api/v1/users/viewer/password")
                        .body(Map.of("password", World.PASSWORD + " too")),
                e(OWN, "DELETE /api/v1/tokens/{id}", "/api/v1/tokens/{token}"),
                // the project itself
                e(USER_READ, "GET /api/v1/projects/{project}", "/api/v1/projects/" + World.P),
                e(USER_READ, "GET /api/v1/projects/{project}/members", "/api/v1/projects/" + World.P + "/members"),
                e(
                                PROJECT_MANAGE,
                                "PUT /api/v1/projects/{project}/members/{member}",
                                "/api/v1/projects/matrix/members/member1")
                        .body(Map.of("role", "viewer")),
                e(
                        PROJECT_MANAGE,
                        "DELETE /api/v1/projects/{project}/members/{member}",
                        "/api/v1/projects/matrix/members/member1"),
                e(PROJECT_MANAGE, "GET /api/v1/projects/{project}/secrets", "/api/v1/projects/matrix/secrets"),
                e(
                                PROJECT_MANAGE,
                                "PUT /api/v1/projects/{project}/secrets/{name}",
                                "/api/v1/projects/matrix/secrets/API_KEY")
                        .body(Map.of("value", "s3cret-value")),
                e(
                        PROJECT_MANAGE,
                        "DELETE /api/v1/projects/{project}/secrets/{name}",
                        "/api/v1/projects/matrix/secrets/API_KEY"),
                e(PROJECT_MANAGE, "GET /api/v1/audit", "/api/v1/audit" + Q),
                // runs
                e(USER_WRITE, "POST /api/v1/runs", "/api/v1/runs").body(Map.of("project", World.P, "spec", World.SPEC)),
                e(USER_READ, "GET /api/v1/runs", "/api/v1/runs" + Q),
                e(USER_READ, "GET /api/v1/runs/{id}", "/api/v1/runs/{run}"),
                e(USER_READ, "GET /api/v1/runs/{id}/record", "/api/v1/runs/{run}/record"),
                e(USER_READ, "GET /api/v1/runs/{id}/artifacts", "/api/v1/runs/{run}/artifacts"),
                e(USER_READ, "GET /api/v1/runs/{id}/metrics", "/api/v1/runs/{run}/metrics"),
                e(USER_READ, "GET /api/v1/runs/{id}/steps/{step}/logs", "/api/v1/runs/{run}/steps/train/logs"),
                e(USER_WRITE, "POST /api/v1/runs/{id}/cancel", "/api/v1/runs/{run}/cancel"),
                e(USER_WRITE, "POST /api/v1/runs/{id}/resume", "/api/v1/runs/{run}/resume")
                        .body(Map.of()),
                e(USER_WRITE, "POST /api/v1/runs/{id}/reproduce", "/api/v1/runs/{run}/reproduce"),
                e(APPROVE, "POST /api/v1/runs/{id}/steps/{step}/approve", "/api/v1/runs/{run}/steps/train/approve")
                        .body(Map.of("note", "ok")),
                e(APPROVE, "POST /api/v1/runs/{id}/steps/{step}/reject", "/api/v1/runs/{run}/steps/train/reject")
                        .body(Map.of("note", "no")),
                // the worker API
                e(WORKER, "PUT /api/v1/workers/{name}", "/api/v1/workers/w1").body(World.registration()),
                e(WORKER, "POST /api/v1/workers/{name}/heartbeat", "/api/v1/workers/w1/heartbeat")
                        .body(Map.of("running", List.of(), "draining", false)),
                e(WORKER, "POST /api/v1/runs/{runId}/steps/{step}/attempts", "/api/v1/runs/{run}/steps/train/attempts")
                        .body(Map.of("number", 2, "worker", "w1")),
                e(
                                WORKER,
                                "POST /api/v1/runs/{runId}/steps/{step}/attempts/{number}/waiting",
                                "/api/v1/runs/{run}/steps/train/attempts/1/waiting")
                        .body(Map.of("worker", "w1", "reason", "busy")),
                e(
                                WORKER,
                                "POST /api/v1/runs/{runId}/steps/{step}/attempts/{number}/finish",
                                "/api/v1/runs/{run}/steps/train/attempts/1/finish")
                        .body(Map.of("status", "FAILED", "exitCode", 1)),
                e(
                                WORKER,
                                "POST /api/v1/runs/{runId}/steps/{step}/attempts/{number}/logs",
                                "/api/v1/runs/{run}/steps/train/attempts/1/logs")
                        .body(Map.of("seq", 5, "text", "more\n")),
                // global admins
                e(GLOBAL_ADMIN, "POST /api/v1/users", "/api/v1/users").body(Map.of("name", "newcomer")),
                e(GLOBAL_ADMIN, "GET /api/v1/users", "/api/v1/users"),
                e(GLOBAL_ADMIN, "DELETE /api/v1/users/{name}", "/api/v1/users/doomed"),
                e(GLOBAL_ADMIN, "POST /api/v1/teams", "/api/v1/teams").body(Map.of("name", "t2")),
                e(GLOBAL_ADMIN, "PUT /api/v1/teams/{team}/members/{user}", "/api/v1/teams/t1/members/member1"),
                e(GLOBAL_ADMIN, "DELETE /api/v1/teams/{team}/members/{user}", "/api/v1/teams/t1/members/member1"),
                e(GLOBAL_ADMIN, "POST /api/v1/workers/{name}/drain", "/api/v1/workers/w1/drain"),
                e(GLOBAL_ADMIN, "DELETE /api/v1/workers/{name}", "/api/v1/workers/w1"),
                e(GLOBAL_ADMIN, "GET /api/v1/audit/verify", "/api/v1/audit/verify"),
                e(GLOBAL_ADMIN, "GET /api/v1/quotas", "/api/v1/quotas"),
                e(OWN, "GET /api/v1/quotas/users/{name}", "/api/v1/quotas/users/viewer"),
                e(GLOBAL_ADMIN, "PUT /api/v1/quotas/users/{name}", "/api/v1/quotas/users/viewer")
                        .body(Map.of("steps", 2)),
                e(PROJECT_MANAGE, "GET /api/v1/quotas/projects/{project}", "/api/v1/quotas/projects/" + World.P),
                e(GLOBAL_ADMIN, "PUT /api/v1/quotas/projects/{project}", "/api/v1/quotas/projects/" + World.P)
                        .body(Map.of("steps", 4)),
                e(GLOBAL_ADMIN, "PUT /api/v1/pools/{name}", "/api/v1/pools/cpu")
                        .body(Map.of("projects", List.of(World.P, "default"))),
                // Temporal's UI codec: any user, who gets opened only the payloads of runs and projects they may read
                e(ANY_TOKEN, "POST /api/v1/temporal/codec/decode", "/api/v1/temporal/codec/decode")
                        .body(Map.of("payloads", List.of())),
                e(ANY_TOKEN, "POST /api/v1/temporal/codec/encode", "/api/v1/temporal/codec/encode")
                        .body(Map.of("payloads", List.of())),
                // pipelines
                e(USER_WRITE, "POST /api/v1/pipelines", "/api/v1/pipelines")
                        .body(Map.of("project", World.P, "spec", World.SPEC)),
                e(USER_READ, "GET /api/v1/pipelines", "/api/v1/pipelines" + Q),
                e(USER_READ, "GET /api/v1/pipelines/{name}/versions", "/api/v1/pipelines/pipe/versions" + Q),
                e(
                        USER_READ,
                        "GET /api/v1/pipelines/{name}/versions/{version}",
                        "/api/v1/pipelines/pipe/versions/1" + Q),
                // artifacts: readable through a project the caller may see
                e(USER_READ, "GET /api/v1/artifacts/{sha256}", "/api/v1/artifacts/{sha}")
                        .worker(),
                e(USER_READ, "GET /api/v1/artifacts/{sha256}/lineage", "/api/v1/artifacts/{sha}/lineage"),
                // models
                e(USER_WRITE, "POST /api/v1/models", "/api/v1/models").body(Map.of("name", "m2", "project", World.P)),
                e(USER_READ, "GET /api/v1/models", "/api/v1/models" + Q),
                e(USER_READ, "GET /api/v1/models/{name}", "/api/v1/models/m" + Q),
                e(USER_WRITE, "PATCH /api/v1/models/{name}", "/api/v1/models/m" + Q)
                        .body(Map.of("description", "d")),
                e(USER_WRITE, "POST /api/v1/models/{name}/versions", "/api/v1/models/m/versions" + Q)
                        .body(Map.of("run", "{run}", "step", "train")),
                e(USER_READ, "GET /api/v1/models/{name}/versions", "/api/v1/models/m/versions" + Q),
                e(USER_READ, "GET /api/v1/models/{name}/versions/{version}", "/api/v1/models/m/versions/1" + Q),
                e(USER_WRITE, "PATCH /api/v1/models/{name}/versions/{version}", "/api/v1/models/m/versions/1" + Q)
                        .body(Map.of("description", "d")),
                e(
                        USER_READ,
                        "GET /api/v1/models/{name}/versions/{version}/lineage",
                        "/api/v1/models/m/versions/1/lineage" + Q),
                e(
                        USER_READ,
                        "GET /api/v1/models/{name}/versions/{version}/story",
                        "/api/v1/models/m/versions/1/story" + Q),
                e(USER_READ, "GET /api/v1/models/{name}/aliases", "/api/v1/models/m/aliases" + Q),
                e(USER_READ, "GET /api/v1/models/{name}/aliases/{alias}", "/api/v1/models/m/aliases/production" + Q),
                e(
                        USER_READ,
                        "GET /api/v1/models/{name}/aliases/{alias}/history",
                        "/api/v1/models/m/aliases/production/history" + Q),
                e(PROMOTE, "PUT /api/v1/models/{name}/aliases/{alias}", "/api/v1/models/m/aliases/production" + Q)
                        .body(Map.of("version", 1)),
                e(USER_WRITE, "PUT /api/v1/models/{name}/aliases/{alias}", "/api/v1/models/m/aliases/staging" + Q)
                        .body(Map.of("version", 1)),
                e(PROMOTE, "DELETE /api/v1/models/{name}/aliases/{alias}", "/api/v1/models/m/aliases/production" + Q),
                e(USER_WRITE, "DELETE /api/v1/models/{name}/aliases/{alias}", "/api/v1/models/m/aliases/staging" + Q),
                // datasets
                e(USER_WRITE, "POST /api/v1/datasets", "/api/v1/datasets")
                        .body(Map.of("name", "d2", "project", World.P)),
                e(USER_READ, "GET /api/v1/datasets", "/api/v1/datasets" + Q),
                e(USER_READ, "GET /api/v1/datasets/{name}", "/api/v1/datasets/d" + Q),
                e(USER_WRITE, "POST /api/v1/datasets/{name}/versions", "/api/v1/datasets/d/versions" + Q)
                        .body(Map.of("files", List.of(Map.of("path", "more.csv", "sha256", "{sha}")))),
                e(
                                USER_WRITE,
                                "POST /api/v1/datasets/{name}/versions [application/gzip]",
                                "/api/v1/datasets/d/versions" + Q)
                        .raw("application/gzip", tgz),
                e(USER_READ, "GET /api/v1/datasets/{name}/versions", "/api/v1/datasets/d/versions" + Q),
                e(USER_READ, "GET /api/v1/datasets/{name}/versions/{version}", "/api/v1/datasets/d/versions/1" + Q),
                // endpoints
                e(USER_WRITE, "POST /api/v1/endpoints", "/api/v1/endpoints")
                        .body(Map.of(
                                "name",
                                "ep2",
                                "project",
                                World.P,
                                "model",
                                "m/1",
                                "bundle",
                                "{bundle}",
                                "command",
                                List.of("python3", "serve.py", "{port}"))),
                e(USER_READ, "GET /api/v1/endpoints", "/api/v1/endpoints" + Q),
                e(USER_READ, "GET /api/v1/endpoints/{name}", "/api/v1/endpoints/ep" + Q),
                e(USER_WRITE, "PUT /api/v1/endpoints/{name}", "/api/v1/endpoints/ep" + Q)
                        .body(Map.of("replicas", 2)),
                e(USER_WRITE, "POST /api/v1/endpoints/{name}/promote", "/api/v1/endpoints/ep/promote" + Q),
                e(USER_WRITE, "POST /api/v1/endpoints/{name}/rollback", "/api/v1/endpoints/ep/rollback" + Q),
                e(USER_WRITE, "DELETE /api/v1/endpoints/{name}", "/api/v1/endpoints/ep" + Q),
                e(WORKER, "POST /api/v1/workers/{name}/replicas/{replicaId}", "/api/v1/workers/w1/replicas/r1")
                        .body(Map.of("address", "127.0.0.1:8080")),
                // schedules: the in-process Temporal test server has no Schedules, so each allowed write is one that
                // is refused after the access checks and before Temporal (a bad cron, a long note, an empty range,
                // the trigger of a schedule whose pipeline is gone); reads answer without Temporal's part
                e(USER_WRITE, "POST /api/v1/schedules", "/api/v1/schedules")
                        .body(Map.of("name", "s2", "project", World.P, "pipeline", "pipe", "cron", "61 * * * *")),
                e(USER_READ, "GET /api/v1/schedules", "/api/v1/schedules" + Q),
                e(USER_READ, "GET /api/v1/schedules/{name}", "/api/v1/schedules/s" + Q),
                e(USER_WRITE, "PUT /api/v1/schedules/{name}", "/api/v1/schedules/s" + Q)
                        .body(Map.of("cron", "61 * * * *")),
                e(USER_WRITE, "DELETE /api/v1/schedules/{name}", "/api/v1/schedules/s" + Q),
                e(USER_WRITE, "POST /api/v1/schedules/{name}/pause", "/api/v1/schedules/s/pause" + Q)
                        .body(Map.of("note", "n".repeat(1001))),
                e(USER_WRITE, "POST /api/v1/schedules/{name}/unpause", "/api/v1/schedules/s/unpause" + Q)
                        .body(Map.of("note", "n".repeat(1001))),
                e(USER_WRITE, "POST /api/v1/schedules/{name}/trigger", "/api/v1/schedules/orphan/trigger" + Q),
                e(USER_WRITE, "POST /api/v1/schedules/{name}/backfill", "/api/v1/schedules/s/backfill" + Q)
                        .body(Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z")),
                // endpoints' traffic: a request to an endpoint needs a role in its project (viewer and up)
                e(USER_READ, "GET /api/v1/endpoints/{name}/metrics", "/api/v1/endpoints/e/metrics" + Q)));
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")) {
            boolean body = Set.of("POST", "PUT", "PATCH").contains(method);
            Entry root = e(USER_READ, method + " /serve/{project}/{name}", "/serve/" + World.P + "/e");
            Entry path =
                    e(USER_READ, method + " /serve/{project}/{name}/{path: .*}", "/serve/" + World.P + "/e/predict");
            t.add(body ? root.body(Map.of("x", 1)) : root);
            t.add(body ? path.body(Map.of("x", 1)) : path);
        }
        // MLflow's routes: the base serves project default (model dm), /p/{project} any project (model m of P)
        for (String[] base : List.of(new String[] {"", "dm"}, new String[] {"/p/" + World.P, "m"})) {
            String prefix = base[0];
            String template = prefix.isEmpty() ? "" : "/p/{project}";
            String model = base[1];
            t.addAll(List.of(
                    e(
                            USER_READ,
                            "GET " + template + ML + "registered-models/search",
                            prefix + ML + "registered-models/search"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "registered-models/get",
                            prefix + ML + "registered-models/get?name=" + model),
                    e(
                            USER_READ,
                            "GET " + template + ML + "registered-models/alias",
                            prefix + ML + "registered-models/alias?name=" + model + "&alias=production"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "registered-models/get-latest-versions",
                            prefix + ML + "registered-models/get-latest-versions?name=" + model),
                    e(
                                    USER_READ,
                                    "POST " + template + ML + "registered-models/get-latest-versions",
                                    prefix + ML + "registered-models/get-latest-versions")
                            .body(Map.of("name", model)),
                    e(
                            USER_READ,
                            "GET " + template + ML + "model-versions/get",
                            prefix + ML + "model-versions/get?name=" + model + "&version=1"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "model-versions/get-download-uri",
                            prefix + ML + "model-versions/get-download-uri?name=" + model + "&version=1"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "model-versions/search",
                            prefix + ML + "model-versions/search?filter=name%3D%27" + model + "%27"),
                    e(
                            USER_READ,
                            "GET " + template + "/api/2.0/mlflow-artifacts/artifacts",
                            prefix + "/api/2.0/mlflow-artifacts/artifacts?path=models/" + model + "/1"),
                    e(
                            USER_READ,
                            "GET " + template + "/api/2.0/mlflow-artifacts/artifacts/{path}",
                            prefix + "/api/2.0/mlflow-artifacts/artifacts/models/" + model + "/1/model.pt")));
            // tracking: users read runs; a step's attempt token writes its own run ({mlrun} in P, {dmlrun} in default)
            String run = prefix.isEmpty() ? "{dmlrun}" : "{mlrun}";
            String ml = "POST " + template + ML;
            t.addAll(List.of(
                    e(USER_READ, "GET " + template + ML + "runs/get", prefix + ML + "runs/get?run_id=" + run),
                    e(USER_READ, ml + "runs/search", prefix + ML + "runs/search")
                            .body(Map.of("experiment_ids", List.of("pipe"), "filter", "metrics.loss < 1")),
                    e(
                            USER_READ,
                            "GET " + template + ML + "metrics/get-history",
                            prefix + ML + "metrics/get-history?run_id=" + run + "&metric_key=loss"),
                    e(USER_READ, ml + "experiments/search", prefix + ML + "experiments/search")
                            .body(Map.of("max_results", 10)),
                    e(USER_READ, "GET " + template + ML + "experiments/search", prefix + ML + "experiments/search"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "experiments/get",
                            prefix + ML + "experiments/get?experiment_id=pipe"),
                    e(
                            USER_READ,
                            "GET " + template + ML + "experiments/get-by-name",
                            prefix + ML + "experiments/get-by-name?experiment_name=pipe"),
                    e(
                            USER_READ,
                            "GET " + template + "/api/2.0/mlflow-artifacts/artifacts",
                            prefix + "/api/2.0/mlflow-artifacts/artifacts?path=runs/" + run),
                    e(ATTEMPT, ml + "runs/update", prefix + ML + "runs/update")
                            .body(Map.of("run_id", run, "status", "RUNNING")),
                    e(ATTEMPT, ml + "runs/log-metric", prefix + ML + "runs/log-metric")
                            .body(Map.of("run_id", run, "key", "loss", "value", 0.5, "timestamp", 1, "step", 0)),
                    e(ATTEMPT, ml + "runs/log-parameter", prefix + ML + "runs/log-parameter")
                            .body(Map.of("run_id", run, "key", "lr", "value", "0.1")),
                    e(ATTEMPT, ml + "runs/set-tag", prefix + ML + "runs/set-tag")
                            .body(Map.of("run_id", run, "key", "stage", "value", "dev")),
                    e(ATTEMPT, ml + "runs/log-batch", prefix + ML + "runs/log-batch")
                            .body(Map.of(
                                    "run_id",
                                    run,
                                    "metrics",
                                    List.of(Map.of("key", "acc", "value", 0.9, "timestamp", 2, "step", 1)),
                                    "params",
                                    List.of(Map.of("key", "epochs", "value", "3")),
                                    "tags",
                                    List.of(Map.of("key", "team", "value", "vision")))),
                    e(ATTEMPT, ml + "runs/log-inputs", prefix + ML + "runs/log-inputs")
                            .body(Map.of("run_id", run)),
                    e(ATTEMPT, ml + "runs/outputs", prefix + ML + "runs/outputs")
                            .body(Map.of("run_id", run)),
                    e(ATTEMPT, ml + "runs/log-model", prefix + ML + "runs/log-model")
                            .body(Map.of("run_id", run, "model_json", "{}")),
                    e(
                                    ATTEMPT,
                                    "PUT " + template + "/api/2.0/mlflow-artifacts/artifacts/{path}",
                                    prefix + "/api/2.0/mlflow-artifacts/artifacts/runs/" + run + "/model.txt")
                            .raw("text/plain", "weights".getBytes(StandardCharsets.UTF_8))));
        }
        return t;
    }

    /**
     * Routes whose checks are run and reported but do not fail the test yet, each with why. Keep it small: a route
     * leaves it when what it waits for lands.
     */
    static final Map<String, String> PENDING = Map.of();

    private record Check(String role, Api caller, String expected) {}

    @Test
    void everyRouteAnswersEachRoleAsItsEntrySays() throws Exception {
        long started = System.nanoTime();
        World world = new World(server);
        Routes routes = Routes.of(server.resources());
        List<Entry> table = table();
        Map<String, List<Entry>> byKey =
                table.stream().collect(Collectors.groupingBy(Entry::key, LinkedHashMap::new, Collectors.toList()));

        Set<String> unlisted = new TreeSet<>();
        List<Entry> run = new ArrayList<>();
        for (Routes.Route r : routes.all()) {
            List<Entry> entries = byKey.get(r.key());
            if (entries == null) {
                unlisted.add(r.toString());
                continue;
            }
            for (Entry entry : entries) {
                String path = world.fill(entry.path());
                String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
                assertThat(bare).as("the entry of %s fills its path", r).matches(r.pattern());
                run.add(entry);
            }
        }
        Set<String> served = routes.all().stream().map(Routes.Route::key).collect(Collectors.toSet());
        assertThat(served)
                .as("the resource model read from the running application (else the matrix checks nothing)")
                .contains("GET /api/v1/health", "POST /api/v1/runs", "GET /api/2.0/mlflow/registered-models/get");
        Set<String> planned = new TreeSet<>(byKey.keySet());
        planned.removeAll(served);

        // reads first, deletions last: a deletion's allowed call removes what later rows read
        run.sort(Comparator.comparingInt(RouteMatrixTest::order));
        List<String> failures = new ArrayList<>();
        List<String> pendingFailures = new ArrayList<>();
        int checks = 0;
        for (Entry entry : run) {
            for (Check c : checks(entry, world)) {
                checks++;
                String problem = check(entry, c, world);
                if (problem != null) {
                    (PENDING.containsKey(entry.key()) ? pendingFailures : failures).add(problem);
                }
            }
        }
        // the OPTIONS answer Jersey adds to every path needs a token too (only the codec's own preflight is public)
        Map<String, Entry> paths = new LinkedHashMap<>();
        run.forEach(e ->
                paths.putIfAbsent(e.key().substring(e.key().indexOf(' ') + 1).replaceAll(" \\[.*", ""), e));
        for (Map.Entry<String, Entry> p : paths.entrySet()) {
            if (!served.contains("OPTIONS " + p.getKey())) {
                checks++;
                String path = world.fill(p.getValue().path());
                Api.Answer a = world.anonymous.withToken(null).send("OPTIONS", path, null);
                if (a.status() != 401) {
                    failures.add("OPTIONS " + p.getKey() + " as anonymous: expected 401, got " + a.status());
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "security matrix: %d routes served, %d table rows run, %d route x role checks, %d failing, %d pending"
                        + " (%d failing), %.1f s%n",
                routes.all().size(),
                run.size(),
                checks,
                failures.size(),
                PENDING.size(),
                pendingFailures.size(),
                seconds);
        if (!planned.isEmpty()) {
            System.out.println("security matrix: rows for routes not served (yet): " + planned);
        }
        PENDING.forEach((k, why) -> System.out.println("security matrix: PENDING " + k + ": " + why));
        pendingFailures.forEach(f -> System.out.println("security matrix: PENDING failure: " + f));
        assertThat(unlisted)
                .as("routes served without a row in RouteMatrixTest.table() (add one: what it needs, a request for it)")
                .isEmpty();
        assertThat(failures)
                .as("routes that answer a role otherwise than their row says")
                .isEmpty();
    }

    private static int order(Entry e) {
        return switch (e.method()) {
            case "GET", "OPTIONS", "HEAD" -> 0;
            case "DELETE" -> 3;
            case "PUT", "PATCH" -> 2;
            default -> 1;
        };
    }

    /** Who calls a row, and what each must get: a status, or "allowed" (reaches the route: no 401/403/404, no 5xx). */
    private static List<Check> checks(Entry e, World w) {
        List<Check> c = new ArrayList<>();
        if (e.need() == PUBLIC) {
            c.add(new Check("anonymous", w.anonymous, "public"));
            return c;
        }
        c.add(new Check("anonymous", w.anonymous, "401"));
        if (e.need() != WORKER) {
            c.add(new Check("worker", w.worker, e.workerToo() ? "allowed" : "403"));
        }
        switch (e.need()) {
            case ANY_TOKEN -> c.add(new Check("outsider", w.outsider, "allowed"));
            case OWN, USER_READ -> {
                c.add(new Check("outsider", w.outsider, "404"));
                c.add(new Check("viewer", w.viewer, "allowed"));
            }
            case USER_WRITE -> {
                c.add(new Check("outsider", w.outsider, "404"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("editor", w.editor, "allowed"));
            }
            case PROJECT_MANAGE -> {
                c.add(new Check("outsider", w.outsider, "404"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("editor", w.editor, "403"));
                c.add(new Check("approver", w.approver, "403"));
                c.add(new Check("admin", w.admin, "allowed"));
            }
            case APPROVE, PROMOTE -> {
                c.add(new Check("outsider", w.outsider, "404"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("editor", w.editor, "403"));
                c.add(new Check("approver", w.approver, "allowed"));
            }
            case GLOBAL_ADMIN -> {
                c.add(new Check("outsider", w.outsider, "403"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("admin", w.admin, "allowed"));
            }
            case WORKER -> {
                c.add(new Check("outsider", w.outsider, "403"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("worker", w.worker, "allowed"));
            }
            case ATTEMPT -> {
                boolean inP = e.path().startsWith("/p/");
                c.add(new Check("outsider", w.outsider, "404"));
                c.add(new Check("viewer", w.viewer, "403"));
                c.add(new Check("editor", w.editor, "403"));
                c.add(new Check("admin", w.admin, "403"));
                // another attempt's token: of P, refused; of default, P is not its project (404 as to an outsider)
                c.add(new Check("other attempt", inP ? w.otherAttempt : w.attempt, inP ? "403" : "404"));
                c.add(new Check("attempt", inP ? w.attempt : w.defaultAttempt, "allowed"));
            }
            default -> throw new IllegalStateException(e.need().toString());
        }
        return c;
    }

    /** Null when the answer is what the row expects, else what went wrong. */
    private static String check(Entry e, Check c, World w) {
        Api.Answer a = send(e, c.caller(), w);
        int s = a.status();
        boolean ok = switch (c.expected()) {
            case "public" -> s != 401 && s != 403 && s < 500;
            case "allowed" -> s < 500 && s != 401 && s != 403 && s != 404 && s != 405 && s != 415;
            default -> s == Integer.parseInt(c.expected());
        };
        // a HEAD answer has no body, so no error shape: its status says it
        if (ok && s >= 400 && !e.method().equals("HEAD") && !errorShape(e, a)) {
            return e.key() + " as " + c.role() + ": " + s + " not in the JSON error shape: " + abbreviate(a.text());
        }
        return ok
                ? null
                : e.key() + " as " + c.role() + ": expected " + c.expected() + ", got " + s + " "
                        + abbreviate(a.text());
    }

    /** Baton's {"error", "message"}; MLflow's routes answer MLflow's {"error_code", "message"} to its clients. */
    private static boolean errorShape(Entry e, Api.Answer a) {
        if (a.json() == null || !a.json().isObject() || !a.json().hasNonNull("message")) {
            return false;
        }
        return a.json().hasNonNull("error")
                || (e.path().contains("/api/2.0/") && a.json().hasNonNull("error_code"));
    }

    static Api.Answer send(Entry e, Api caller, World w) {
        String path = w.fill(e.path());
        // each request on a client of its own: the server may close a connection whose body it refused unread
        Api client = caller.withToken(caller.token());
        if (e.body() instanceof byte[] bytes) {
            return e.method().equals("POST")
                    ? client.postRaw(path, e.type(), bytes, Map.of())
                    : client.sendRaw(e.method(), path, e.type(), bytes);
        }
        if (e.body() == null) {
            return client.send(e.method(), path, null);
        }
        return client.send(e.method(), path, w.fill(Api.json(e.body())));
    }

    static String abbreviate(String text) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ");
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }

    private static byte[] bundle() {
        try {
            return Bundles.of(Map.of("data.csv", "a,b\n1,2\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
