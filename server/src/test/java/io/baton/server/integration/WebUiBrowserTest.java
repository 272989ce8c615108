package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.ToolRun;
import io.baton.server.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's browser tests ({@code ui/tests/*.test.mjs}: node's test runner, playwright-core and Debian's Chromium
 * headless) against the test cluster's server, which serves the UI built into its jar at {@code /}. This class
 * prepares what they share (a project, an editor with a password and a token, a registered pipeline, two finished
 * runs with metrics that registered two model versions, a failed run and a run that keeps training), writes them as
 * JSON into the file named by {@code BATON_UI_FIXTURES} and runs node once over every test file.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "ui", pools = "ui")
class WebUiBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "ui";
    private static final String USER = "ui-alice";
    private static final String PASSWORD = "ui alice's correct horse";
    private static final String PIPELINE = "ui-demo";
    private static final String MODEL = "ui-model";
    /**
     * The tests in ui/tests (smoke 3, runs 7, registry 5, ops 6 in the browser; dag 5 in node alone): fewer passing
     * means a file went missing or a test was skipped (the suite only grows; raise this with it).
     */
    private static final int MIN_TESTS = 26;

    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final String SPEC = """
        name: ui-demo
        description: the browser tests' pipeline
        parameters:
          - {name: lr, type: float, default: 0.1}
          - {name: epochs, type: integer, default: 5}
          - {name: interval, type: float, default: 0}
          - {name: exit, type: integer, default: 0}
        steps:
          - name: prep
            pool: ui
            command: ["sh", "prep.sh"]
            outputs: [data.csv]
          - name: train
            pool: ui
            needs: [prep]
            inputs: {data: prep/data.csv}
            command: ["python3", "train.py", "{parameters.lr}", "{parameters.epochs}", "{parameters.interval}",
                      "{parameters.exit}"]
            outputs: [model.txt]
            register: {model: ui-model, path: model.txt}
        """;
    private static final String PREP = """
        echo "preparing the data"
        printf 'x,y\\n1,2\\n3,4\\n' > "$BATON_OUTPUTS/data.csv"
        """;
    /** One log line and one metrics record per epoch; {@code exit} != 0 fails the step before it writes its model. */
    private static final String TRAIN = """
        import json, os, sys, time
        lr, epochs, interval, code = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
        for epoch in range(1, epochs + 1):
            loss = round(1.0 / (1.0 + lr * epoch * 10), 4)
            accuracy = round(1.0 - loss / 2, 4)
            print(f"epoch {epoch}: loss {loss} accuracy {accuracy}", flush=True)
            print(json.dumps({"epoch": epoch, "loss": loss, "accuracy": accuracy}), flush=True)
            if interval > 0:
                time.sleep(interval)
        if code != 0:
            print("giving up with exit code", code, file=sys.stderr, flush=True)
            sys.exit(code)
        with open(os.path.join(os.environ["BATON_OUTPUTS"], "model.txt"), "w") as f:
            f.write(f"weights trained at lr={lr}\\n")
        print("done", flush=True)
        """;

    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;
    private static String liveRun;

    @TempDir
    static Path tmp;

    @Test
    void theBrowserTestsPass() throws Exception {
        Path ui = cluster.repo().resolve("ui");
        String chromium = System.getenv().getOrDefault("BATON_CHROMIUM", "/usr/bin/chromium");
        assertThat(Files.isExecutable(Path.of(chromium)))
                .as("the browser tests drive Debian's Chromium at " + chromium
                        + " (or BATON_CHROMIUM): ./baton test installs it (apt-get install chromium)")
                .isTrue();
        assertThat(ui.resolve("node_modules/playwright-core"))
                .as("ui/node_modules holds playwright-core once the ui module was built (./baton test builds it)")
                .isDirectory();

        long start = System.nanoTime();
        Map<String, Object> fixtures = prepareFixtures();
        Path file = tmp.resolve("fixtures.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), fixtures);
        System.out.printf(
                "fixtures ready in %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, Files.readString(file));

        List<String> command =
                new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=tap"));
        try (var files = Files.list(ui.resolve("tests"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".test.mjs"))
                    .sorted()
                    .forEach(n -> command.add("tests/" + n));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(ui.toFile());
        pb.environment().put("BATON_UI_FIXTURES", file.toString());
        pb.environment().put("BATON_CHROMIUM", chromium);
        ToolRun node;
        try {
            node = ToolRun.run(pb, NODE_TIMEOUT);
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start node: the browser tests need Node.js 20.19+ (Debian: apt-get install nodejs npm)", e);
        }
        String tap = node.output();
        System.out.println("--- node --test (ui/tests)\n" + tap + "--- end of node --test");
        assertThat(node.ended())
                .as("the browser tests ended within " + NODE_TIMEOUT + ":\n" + tap)
                .isTrue();

        int tests = count(tap, "tests");
        int pass = count(tap, "pass");
        int fail = count(tap, "fail");
        assertThat(count(tap, "skipped")).as("skipped browser tests:\n" + tap).isZero();
        assertThat(fail).as("failed browser tests:\n" + failures(tap)).isZero();
        assertThat(node.exit()).as("node's exit code:\n" + tap).isZero();
        assertThat(pass)
                .as("passing browser tests (of " + tests + ")")
                .isEqualTo(tests)
                .isGreaterThanOrEqualTo(MIN_TESTS);
    }

    @AfterAll
    static void cancelTheLiveRun() {
        if (liveRun != null) {
            api.post("/runs/" + liveRun + "/cancel", Map.of());
        }
    }

    /** The objects the browser tests share; see ui/tests/harness.mjs. */
    private static Map<String, Object> prepareFixtures() throws IOException {
        api.project(PROJECT);
        Api.Answer user = api.post("/users", Map.of("name", USER, "password", PASSWORD));
        assertThat(user.status()).as(user.text()).isIn(201, 409);
        api.grant(PROJECT, USER, "editor");
        Api.Answer token = api.post("/tokens", Map.of("name", USER + "-ui", "user", USER));
        assertThat(token.status()).as(token.text()).isEqualTo(201);

        Api.Answer pipeline = api.post("/pipelines", Map.of("project", PROJECT, "spec", SPEC));
        assertThat(pipeline.status()).as(pipeline.text()).isIn(200, 201);
        String bundle = Runs.uploadBundle(api, Bundles.of(Map.of("prep.sh", PREP, "train.py", TRAIN)));

        // submitted together, so that they run side by side; the live one last, as the worker's slots allow
        String a = submit(bundle, Map.of("lr", 0.1, "epochs", 6));
        String b = submit(bundle, Map.of("lr", 0.02, "epochs", 6));
        String failed = submit(bundle, Map.of("lr", 0.5, "epochs", 2, "exit", 3));
        for (String id : List.of(a, b)) {
            JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        }
        JsonNode f = Runs.awaitEnd(api, failed, RUN_TIMEOUT);
        assertThat(f.get("status").asText()).as(f.toString()).isEqualTo("FAILED");
        liveRun = submit(bundle, Map.of("lr", 0.05, "epochs", 480, "interval", 0.25));
        Wait.until("the live run's first metric", RUN_TIMEOUT, () -> {
            JsonNode run = api.get("/runs/" + liveRun).json();
            assertThat(run.get("status").asText()).as(run.toString()).isIn("QUEUED", "RUNNING");
            JsonNode series = api.get("/runs/" + liveRun + "/metrics").json().get("series");
            return run.get("status").asText().equals("RUNNING") && series != null && !series.isEmpty();
        });

        List<Integer> versions = new ArrayList<>();
        for (JsonNode v : Wait.until("two versions of " + MODEL, RUN_TIMEOUT, () -> {
            Api.Answer answer = api.get("/models/" + MODEL + "/versions?project=" + PROJECT);
            JsonNode items = answer.status() == 200 ? answer.json().get("items") : null;
            return items != null && items.size() >= 2 ? items : null;
        })) {
            versions.add(v.get("version").asInt());
        }
        versions.sort(Integer::compare);

        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("finished", List.of(a, b));
        runs.put("failed", failed);
        runs.put("live", liveRun);
        Map<String, Object> fixtures = new LinkedHashMap<>();
        fixtures.put("baseUrl", cluster.apiBase().replace("/api/v1", ""));
        fixtures.put("adminToken", api.token());
        fixtures.put("project", PROJECT);
        fixtures.put(
                "user",
                Map.of(
                        "name",
                        USER,
                        "password",
                        PASSWORD,
                        "token",
                        token.json().get("token").asText()));
        fixtures.put("pipeline", PIPELINE);
        fixtures.put("runs", runs);
        fixtures.put("model", Map.of("name", MODEL, "versions", versions));
        return fixtures;
    }

    private static String submit(String bundle, Map<String, Object> parameters) {
        Api.Answer a = api.post(
                "/runs", Map.of("project", PROJECT, "pipeline", PIPELINE, "bundle", bundle, "parameters", parameters));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        return a.json().get("id").asText();
    }

    /** A number from the TAP summary ({@code # pass 12}); -1 when missing. */
    private static int count(String tap, String name) {
        Matcher m = Pattern.compile("(?m)^# " + name + " (\\d+)$").matcher(tap);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    /** The failed tests' lines and what follows them, for the assertion's message. */
    private static String failures(String tap) {
        StringBuilder out = new StringBuilder();
        boolean inFailure = false;
        for (String line : tap.split("\n")) {
            if (line.matches("\\s*not ok .*")) {
                inFailure = true;
            } else if (line.matches("\\s*ok .*|# Subtest: .*")) {
                inFailure = false;
            }
            if (inFailure) {
                out.append(line).append('\n');
            }
        }
        return out.isEmpty() ? tap : out.toString();
    }
}
