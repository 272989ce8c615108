package io.baton.server.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.bundle.BundlePacker;
import io.baton.common.Retry;
import io.baton.server.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/** The demo's client side: uploads the example as a bundle, submits it, follows the run and prints the result. */
public final class Demo implements Runnable {
    /** The project the demo works in. */
    static final String PROJECT = "demo";

    private final Path adminTokenFile;
    private final String api;
    private final Path example;
    private final HttpClient http = HttpClient.newHttpClient();
    private String token;

    /** {@code adminTokenFile}: where local mode wrote the admin token the demo calls the API with. */
    public Demo(Path adminTokenFile, int port, String example) {
        this.adminTokenFile = adminTokenFile;
        this.api = "http://127.0.0.1:" + port + "/api/v1";
        this.example = Path.of(example);
    }

    @Override
    public void run() {
        try {
            token = Files.readString(adminTokenFile).trim();
            waitHealthy();
            ensureProject();
            ByteArrayOutputStream tgz = new ByteArrayOutputStream();
            BundlePacker.pack(example, tgz);
            JsonNode bundle = call(HttpRequest.newBuilder(URI.create(api + "/bundles?project=" + PROJECT))
                    .header("Content-Type", "application/gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tgz.toByteArray())));
            JsonNode data = uploadDataset();
            say("demo: dataset iris version " + data.get("version").asInt() + " holds "
                    + data.get("files").size() + " file(s) from " + dataFolder());
            ObjectNode submission = Json.MAPPER
                    .createObjectNode()
                    .put("project", PROJECT)
                    .put("spec", Files.readString(example.resolve("baton.yaml")))
                    .put("bundle", bundle.get("sha256").asText());
            JsonNode run = call(HttpRequest.newBuilder(URI.create(api + "/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(submission.toString())));
            String id = run.get("id").asText();
            say("demo: submitted run " + id + " of " + example + "; waiting for it to finish...");
            String last = "";
            Retry polls = Retry.forever(Duration.ofMillis(500));
            while (!isTerminal(run.get("status").asText())) {
                polls.pause();
                run = call(
                        HttpRequest.newBuilder(URI.create(api + "/runs/" + id)).GET());
                String progress = progress(run);
                if (!progress.equals(last)) {
                    say("demo: " + progress);
                    last = progress;
                }
            }
            report(run, lastStepLog(run));
            int version = reportModel(run);
            reportSchedule(bundle.get("sha256").asText());
            if (version > 0) { // the demo ends with a prediction of the model it trained
                deploy(version, bundle.get("sha256").asText());
            }
            say("Baton stays up; press Ctrl-C to stop it.");
        } catch (Exception e) {
            say("demo: failed: " + e.getMessage());
        }
    }

    /** The example's data: a folder next to it named {@code <example>-data}. */
    private Path dataFolder() {
        return example.resolveSibling(example.getFileName() + "-data");
    }

    /** Makes the dataset {@code iris} (once) and a version of it from the data folder (the same files: the same version). */
    private JsonNode uploadDataset() throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(api + "/datasets"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"iris\", \"project\": \"demo\","
                                + " \"description\": \"Fisher's iris flowers, as scikit-learn ships them\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IOException("POST /datasets answered " + created.statusCode() + ": " + created.body());
        }
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        BundlePacker.pack(dataFolder(), tgz);
        return call(HttpRequest.newBuilder(URI.create(api + "/datasets/iris/versions?project=" + PROJECT))
                .header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tgz.toByteArray())));
    }

    /** The model version the run registered, and what its lineage reaches: the code bundle and the dataset. */
    private int reportModel(JsonNode run) throws IOException, InterruptedException {
        JsonNode versions = call(HttpRequest.newBuilder(
                                URI.create(api + "/models/iris-classifier/versions?limit=500&project=" + PROJECT))
                        .GET())
                .get("items");
        for (JsonNode version : versions) {
            if (!version.get("run").asText().equals(run.get("id").asText())) {
                continue;
            }
            int v = version.get("version").asInt();
            JsonNode lineage = call(HttpRequest.newBuilder(
                            URI.create(api + "/models/iris-classifier/versions/" + v + "/lineage?project=" + PROJECT))
                    .GET());
            StringBuilder roots = new StringBuilder();
            for (JsonNode node : lineage.get("nodes")) {
                String kind = node.get("kind").asText();
                if (kind.equals("bundle") || kind.equals("datasetVersion")) {
                    roots.append("\n    ").append(node.get("id").asText());
                }
            }
            say("  model:       iris-classifier version " + v + " ("
                    + version.get("status").asText() + "), "
                    + api + "/models/iris-classifier/versions/" + v + "?project=" + PROJECT
                    + "\n  its lineage reaches:" + roots
                    + "\n  read it with MLflow: MLFLOW_TRACKING_URI=" + api.replace("/api/v1", "/p/" + PROJECT)
                    + " MLFLOW_TRACKING_TOKEN=$(cat "
                    + adminTokenFile.toAbsolutePath() + ")"
                    + " python -c \"import mlflow; print(mlflow.MlflowClient().get_model_version('iris-classifier', '"
                    + v
                    + "'))\"");
            return v;
        }
        say("  model:       the run registered no version of iris-classifier (it did not succeed)");
        return 0;
    }

    /**
     * Points {@code production} at the new version and serves it: the endpoint {@code iris} (made once, with the
     * example's serve.py; it follows the alias, so a later demo's version rolls out by itself), then one prediction
     * through the server, with the curl that makes it.
     */
    private void deploy(int version, String bundle) throws IOException, InterruptedException {
        call(HttpRequest.newBuilder(URI.create(api + "/models/iris-classifier/aliases/production?project=" + PROJECT))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": " + version + "}")));
        HttpResponse<String> existing = http.send(
                HttpRequest.newBuilder(URI.create(api + "/endpoints/iris?project=" + PROJECT))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (existing.statusCode() == 404) {
            ObjectNode endpoint = Json.MAPPER
                    .createObjectNode()
                    .put("name", "iris")
                    .put("project", PROJECT)
                    .put("model", "iris-classifier@production")
                    .put("bundle", bundle);
            endpoint.putArray("command")
                    .add("python3")
                    .add("serve.py")
                    .add("--model")
                    .add("{model}")
                    .add("--port")
                    .add("{port}");
            call(HttpRequest.newBuilder(URI.create(api + "/endpoints"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(endpoint.toString())));
        }
        say("demo: deploying iris-classifier@production (version " + version + ") as endpoint iris...");
        Retry polls = Retry.every(Duration.ofMillis(500), Duration.ofMinutes(3));
        JsonNode endpoint = call(HttpRequest.newBuilder(URI.create(api + "/endpoints/iris?project=" + PROJECT))
                .GET());
        while (!(endpoint.get("status").asText().equals("READY")
                && endpoint.get("version").asInt() == version)) {
            if (polls.spent() || endpoint.get("status").asText().equals("FAILED")) {
                say("demo: endpoint iris is " + endpoint.get("status").asText() + ": "
                        + endpoint.path("message").asText(""));
                return;
            }
            polls.pause();
            endpoint = call(HttpRequest.newBuilder(URI.create(api + "/endpoints/iris?project=" + PROJECT))
                    .GET());
        }
        String serve = api.replace("/api/v1", "/serve/" + PROJECT + "/iris/predict");
        String body = "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}";
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(serve))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        say("  endpoint:    " + api + "/endpoints/iris?project=" + PROJECT + " (READY, version " + version + ")"
                + "\n  prediction:  " + answer.statusCode() + " "
                + answer.body().trim() + " (served by version "
                + answer.headers().firstValue("X-Baton-Model-Version").orElse("?") + ")"
                + "\n  made with:   curl -s -X POST -H \"Authorization: Bearer $(cat "
                + adminTokenFile.toAbsolutePath() + ")\" -H 'Content-Type: application/json' -d '" + body + "' "
                + serve);
    }

    /**
     * Registers the example as pipeline {@code iris} of the demo's project and prints the request that would retrain
     * it every minute: a schedule the demo does not create (off by default; docs/schedules.md).
     */
    private void reportSchedule(String bundle) throws IOException, InterruptedException {
        ObjectNode pipeline = Json.MAPPER
                .createObjectNode()
                .put("project", PROJECT)
                .put("spec", Files.readString(example.resolve("baton.yaml")));
        call(HttpRequest.newBuilder(URI.create(api + "/pipelines"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pipeline.toString())));
        say("  retrain it every minute (off by default; a Temporal Schedule, see docs/schedules.md):\n"
                + "    curl -s -H \"Authorization: Bearer $(cat " + adminTokenFile.toAbsolutePath() + ")\""
                + " -H 'Content-Type: application/json' \\\n"
                + "      -d '{\"name\": \"iris-every-minute\", \"project\": \"" + PROJECT
                + "\", \"pipeline\": \"iris\","
                + " \"bundle\": \"" + bundle + "\", \"every\": \"1m\"}' " + api + "/schedules\n"
                + "    (stop it: curl -s -X DELETE -H \"Authorization: Bearer $(cat "
                + adminTokenFile.toAbsolutePath() + ")\" '" + api
                + "/schedules/iris-every-minute?project=" + PROJECT + "')");
    }

    /** The output of the pipeline's last step: for the iris example, which model won and its accuracy. */
    private String lastStepLog(JsonNode run) throws IOException, InterruptedException {
        JsonNode steps = run.get("steps");
        String last = steps.get(steps.size() - 1).get("name").asText();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(api + "/runs/" + run.get("id").asText() + "/steps/"
                                + URLEncoder.encode(last, StandardCharsets.UTF_8) + "/logs"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? last + ":\n" + r.body().indent(4) : "";
    }

    private void report(JsonNode run, String lastLog) {
        StringBuilder s = new StringBuilder("\n=== Baton demo: run ")
                .append(run.get("id").asText())
                .append(" ")
                .append(run.get("status").asText())
                .append(" ===\n");
        for (JsonNode step : run.get("steps")) {
            s.append(String.format(
                    "  %-18s %-10s attempts: %d%n",
                    step.get("name").asText(),
                    step.get("status").asText(),
                    step.get("attempts").size()));
        }
        Iterator<Map.Entry<String, JsonNode>> metrics = run.get("metrics").fields();
        if (metrics.hasNext()) {
            s.append("  metrics:\n");
            metrics.forEachRemaining(m -> s.append("    ")
                    .append(m.getKey())
                    .append(" = ")
                    .append(m.getValue())
                    .append('\n'));
        }
        if (!lastLog.isEmpty()) {
            s.append("  ").append(lastLog);
        }
        s.append("  run:         ")
                .append(api)
                .append("/runs/")
                .append(run.get("id").asText())
                .append('\n');
        s.append("  web UI:      ")
                .append(api.replaceFirst("/api/v1$", ""))
                .append("/#/runs/")
                .append(run.get("id").asText())
                .append(" (sign in with the token below)\n");
        if (!run.get("temporalUiUrl").isNull()) {
            s.append("  Temporal UI: ")
                    .append(run.get("temporalUiUrl").asText())
                    .append('\n');
        }
        s.append("  token:       ").append(adminTokenFile.toAbsolutePath()).append('\n');

        say(s.toString());
    }

    private static String progress(JsonNode run) {
        StringBuilder s = new StringBuilder(run.get("status").asText()).append(":");
        for (JsonNode step : run.get("steps")) {
            s.append(' ')
                    .append(step.get("name").asText())
                    .append('=')
                    .append(step.get("status").asText());
        }
        return s.toString();
    }

    private static boolean isTerminal(String status) {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    private void waitHealthy() throws IOException, InterruptedException {
        Retry retry = Retry.every(Duration.ofMillis(500), Duration.ofMinutes(2));
        while (!retry.spent()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(api + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return;
            }
            retry.pause();
        }
        throw new IOException("the server did not become healthy");
    }

    /** Project {@code demo}, created on the first demo (a later one finds it). */
    private void ensureProject() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(api + "/projects"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"" + PROJECT + "\", \"description\": \"made by ./baton demo\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IOException("POST /projects answered " + r.statusCode() + ": " + r.body());
        }
    }

    private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException(
                    r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
