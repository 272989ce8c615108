package io.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.baton.common.Daemons;
import io.baton.common.Hashing;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.protocol.MlflowRunIds;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.Ids;
import io.baton.server.db.EndpointDao;
import io.baton.server.db.ReplicaRow;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.ScheduleRow;
import io.baton.server.db.TokenDao;
import io.baton.server.db.TokenRow;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.EndpointRows;
import io.baton.server.testing.InProcessServer;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;

/**
 * What the security matrix reads and writes: project {@code matrix} (P) with a run that has an attempt, logs and an
 * output, a model with a version and aliases, a dataset, a pipeline; the same in {@code default} for MLflow's routes
 * (whose base serves it), with team {@code everyone} taken out of it; and its callers.
 */
public final class World {
    public static final String P = "matrix";
    static final String PASSWORD = "correct horse battery staple";
    static final String SPEC = "name: pipe\nsteps:\n  - name: train\n    command: [\"true\"]\n";

    final Api admin;
    final Api anonymous;
    final Api outsider;
    final Api viewer;
    final Api editor;
    final Api approver;
    final Api worker;
    /** The tokens of running attempts (MLflow's tracking writes): two of P, one of default. */
    final Api attempt;

    final Api otherAttempt;
    final Api defaultAttempt;
    /** What the tables' paths and bodies name: {@code {run}}, {@code {sha}}, ... */
    public final Map<String, String> values = new HashMap<>();

    public World(InProcessServer server) throws IOException {
        String root = server.apiBase().substring(0, server.apiBase().length() - "/api/v1".length());
        Api v1 = server.admin();
        admin = new Api(root, v1.token());
        anonymous = new Api(root, null);
        v1.project(P);
        outsider = rooted(root, v1.user("outsider"));
        viewer = rooted(root, v1.user("viewer"));
        editor = rooted(root, v1.user("editor"));
        approver = rooted(root, v1.user("approver"));
        v1.user("doomed");
        v1.user("member1");
        ok(v1.post("/users", Map.of("name", "loginuser", "password", PASSWORD)), 201);
        // default loses 'everyone' (every user's editor role): a project like any other, for MLflow's base routes
        ok(v1.send("DELETE", "/projects/default/members/everyone", null), 204);
        for (String project : List.of(P, "default")) {
            v1.grant(project, "viewer", "viewer");
            v1.grant(project, "editor", "editor");
            v1.grant(project, "approver", "editor", "approve", "promote");
        }
        Jdbi db = server.database();
        AttemptRecorder recorder =
                new AttemptRecorder(db, new FolderBlobStore(server.dataDir().resolve("blobs")));
        // P's objects
        String sha = blob(v1, "weights of matrix");
        values.put("sha", sha);
        values.put("run", runWithOutput(v1, recorder, P, sha));
        ok(v1.post("/models", Map.of("name", "m", "project", P)), 201);
        ok(v1.post("/models/m/versions?project=" + P, Map.of("run", values.get("run"), "step", "train")), 201);
        ok(v1.send("PUT", "/models/m/aliases/production?project=" + P, Map.of("version", 1)), 200);
        ok(v1.send("PUT", "/models/m/aliases/staging?project=" + P, Map.of("version", 1)), 200);
        ok(v1.post("/datasets", Map.of("name", "d", "project", P)), 201);
        ok(
                v1.post(
                        "/datasets/d/versions?project=" + P,
                        Map.of("files", List.of(Map.of("path", "data.csv", "sha256", sha)))),
                201);
        ok(v1.post("/pipelines", Map.of("project", P, "spec", SPEC)), 201);
        // schedules as rows: the in-process Temporal test server has no Schedules (the integration tests create
        // real ones); "orphan" names a pipeline that is gone, so that its trigger is refused before Temporal
        ScheduleDao schedules = db.onDemand(ScheduleDao.class);
        schedules.insert(schedule("s", "pipe"));
        schedules.insert(schedule("orphan", "gone"));
        // steps running now, with their attempt tokens: MLflow's tracking writes come from them ({mlrun} in P)
        String[] running = runningAttempt(v1, recorder, db, P);
        values.put("mlrun", running[0]);
        attempt = new Api(root, running[1]);
        otherAttempt = new Api(root, runningAttempt(v1, recorder, db, P)[1]);
        String[] inDefault = runningAttempt(v1, recorder, db, "default");
        values.put("dmlrun", inDefault[0]);
        defaultAttempt = new Api(root, inDefault[1]);
        // default's, for MLflow's base routes
        String dsha = blob(v1, "weights of default");
        values.put("dsha", dsha);
        values.put("drun", runWithOutput(v1, recorder, "default", dsha));
        ok(v1.post("/models", Map.of("name", "dm", "project", "default")), 201);
        ok(v1.post("/models/dm/versions?project=default", Map.of("run", values.get("drun"), "step", "train")), 201);
        ok(v1.send("PUT", "/models/dm/aliases/production?project=default", Map.of("version", 1)), 200);
        // a worker, a team, a spare token of the viewer's
        Api.Answer w = v1.post("/tokens", Map.of("kind", "worker", "name", "w1"));
        ok(w, 201);
        worker = new Api(root, w.json().get("token").asText());
        ok(worker.send("PUT", "/api/v1/workers/w1", registration()), 200);
        // an endpoint of P serving m@production (no worker runs its replicas here: it stays STARTING)
        Api.Answer code = v1.postRaw(
                "/bundles?project=" + P,
                "application/gzip",
                Bundles.of(Map.of("serve.py", "print('serving')\n")),
                Map.of());
        ok(code, 201);
        values.put("bundle", code.json().get("sha256").asText());
        ok(
                v1.post(
                        "/endpoints",
                        Map.of(
                                "name",
                                "ep",
                                "project",
                                P,
                                "model",
                                "m@production",
                                "bundle",
                                values.get("bundle"),
                                "command",
                                List.of("python3", "serve.py", "--model", "{model}", "--port", "{port}"))),
                201);
        // a replica that has ended: its worker's late report is refused (409)
        db.onDemand(EndpointDao.class)
                .insertReplica(new ReplicaRow("r1", "gone", 1, 1, "STOPPED", "w1", null, null, 0, null, 1L));
        ok(v1.post("/teams", Map.of("name", "t1")), 201);
        Api.Answer spare = viewer.post("/api/v1/tokens", Map.of("kind", "user", "name", "spare"));
        ok(spare, 201);
        values.put("token", spare.json().get("id").asText());
        // an endpoint of P with a replica (the routing rows as its workflow writes them), for /serve and its metrics
        EndpointRows endpoints = new EndpointRows(db);
        String endpoint = endpoints.endpoint(P, "e", 1);
        endpoints.replica(endpoint, 1, 1, "READY", replica());
    }

    /**
     * A serving process's stand-in in this JVM: 200 on {@code /} and {@code /predict}, a 404 in Baton's error shape on
     * any other path (the bad-input matrix sends odd paths through the proxy). Its address.
     */
    private static String replica() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            boolean known = path.equals("/") || path.equals("/predict");
            byte[] body = (known ? "{\"prediction\": 1}" : "{\"error\": \"not_found\", \"message\": \"no such path\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(known ? 200 : 404, head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.setExecutor(Executors.newCachedThreadPool(Daemons.named("matrix-replica")));
        http.start();
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    static Map<String, Object> registration() {
        return Map.of("pools", List.of("cpu"), "cpus", 1, "memoryBytes", 1 << 30, "slots", 1, "os", "linux");
    }

    /** {@code text} with every {@code {key}} of {@link #values} replaced. */
    String fill(String text) {
        String out = text;
        for (Map.Entry<String, String> v : values.entrySet()) {
            out = out.replace("{" + v.getKey() + "}", v.getValue());
        }
        return out;
    }

    private static Api rooted(String root, Api client) {
        return new Api(root, client.token());
    }

    private static String blob(Api v1, String content) {
        Api.Answer a =
                v1.postRaw("/blobs", "application/octet-stream", content.getBytes(StandardCharsets.UTF_8), Map.of());
        ok(a, 200);
        return a.json().get("sha256").asText();
    }

    /** A run of {@code project} whose step {@code train} runs as attempt 1: its MLflow run id and its attempt token. */
    private static String[] runningAttempt(Api v1, AttemptRecorder recorder, Jdbi db, String project) {
        Api.Answer run = v1.post("/runs", Map.of("project", project, "spec", SPEC));
        ok(run, 201);
        String id = run.json().get("id").asText();
        recorder.attemptStarted(id, "train", new AttemptStart(1, "w1"));
        String secret = "bt_attempt_" + id.replace("-", "");
        long now = System.currentTimeMillis();
        TokenRow token = new TokenRow(
                Ids.newId(), null, Caller.ATTEMPT, false, Hashing.sha256(secret), "w1", now, now + 3_600_000L, null);
        db.useExtension(TokenDao.class, dao -> dao.insertForAttempt(token, id, "train", 1));
        return new String[] {MlflowRunIds.of(id, "train", 1), secret};
    }

    /** A run submitted in {@code project}, whose step {@code train} then ran as attempt 1 (logs, output model.pt). */
    private static String runWithOutput(Api v1, AttemptRecorder recorder, String project, String sha) {
        Api.Answer run = v1.post("/runs", Map.of("project", project, "spec", SPEC));
        ok(run, 201);
        String id = run.json().get("id").asText();
        recorder.attemptStarted(id, "train", new AttemptStart(1, "w1"));
        recorder.appendLogs(id, "train", 1, new LogBatch(0, "training\n", Map.of()));
        long size = ("weights of " + project).length();
        recorder.attemptFinished(
                id,
                "train",
                1,
                new AttemptFinish(
                        AttemptStatus.SUCCEEDED,
                        0,
                        null,
                        List.of(new ArtifactRef("model.pt", sha, size)),
                        true,
                        List.of()));
        return id;
    }

    private static ScheduleRow schedule(String name, String pipeline) {
        long now = System.currentTimeMillis();
        return new ScheduleRow(
                "matrix-" + name,
                P,
                name,
                pipeline,
                null,
                null,
                "{}",
                null,
                "1h",
                null,
                null,
                null,
                "skip",
                null,
                null,
                "admin",
                null,
                now,
                now,
                null,
                null,
                null);
    }

    static void ok(Api.Answer a, int status) {
        assertThat(a.status()).as("setup: " + a.text()).isEqualTo(status);
    }
}
