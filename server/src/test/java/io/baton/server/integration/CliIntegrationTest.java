package io.baton.server.integration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code baton} CLI, run through the launcher ({@code ./baton} with {@code BATON_CLI_CLASSPATH}) as a user
 * would, against the test cluster: sign-in, runs followed to each end with its exit code, logs, --json, resources.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "cli", pools = "cli")
class CliIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";
    private static final String SPEC = """
        name: cli-demo
        parameters:
          - {name: scale, type: integer, default: 2}
        steps:
          - name: prep
            pool: cli
            command: ["sh", "prep.sh"]
            outputs: [model.txt]
            register: {model: cli-model, path: model.txt}
          - name: train
            pool: cli
            needs: [prep]
            matrix: {lr: [0.1, 0.01]}
            command: ["sh", "train.sh", "{matrix.lr}", "{parameters.scale}"]
        """;
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @TempDir
    static Path tmp;

    private static Path home;
    private static Path project;

    @BeforeAll
    static void userProjectAndFolder() throws IOException {
        Api.Answer user = api.post("/users", Map.of("name", "cli-alice", "password", PASSWORD));
        assertThat(user.status()).as(user.text()).isIn(201, 409);
        api.project("cli").grant("cli", "cli-alice", "editor");
        home = Files.createDirectories(tmp.resolve("home"));
        project = Files.createDirectories(tmp.resolve("demo"));
        write(project, "baton.yaml", SPEC);
        write(project, "prep.sh", "echo preparing\necho weights > \"$BATON_OUTPUTS/model.txt\"\n");
        write(project, "train.sh", "echo \"training at $1\"\necho \"{\\\"loss\\\": 0.25, \\\"scale\\\": $2}\"\n");
        write(project, ".gitignore", "*.log\ndata/\nsecret.txt\n");
        write(project, ".batonignore", "!keep.log\nnotes/\n");
        write(project, "debug.log", "x");
        write(project, "keep.log", "x");
        write(project, "data/big.bin", "x");
        write(project, "notes/todo.md", "x");
        write(project, "secret.txt", "x");
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** What one CLI call printed and its exit code. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static ProcessBuilder builder(Path configHome, Path cwd, String... args) {
        List<String> command =
                new ArrayList<>(List.of("bash", cluster.repo().resolve("baton").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("BATON_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("BATON_CLI_CLASSPATH", System.getProperty("java.class.path"));
        return pb;
    }

    private static Result cli(String... args) throws Exception {
        return cliIn(home.resolve("xdg"), tmp, null, args);
    }

    private static Result cliIn(Path configHome, Path cwd, String stdin, String... args) throws Exception {
        ProcessBuilder pb = builder(configHome, cwd, args);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(UTF_8));
            }
        }
        assertThat(p.waitFor(90, TimeUnit.SECONDS))
                .as("baton " + String.join(" ", args) + " ended")
                .isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String login() throws Exception {
        Path config = home.resolve("xdg/baton/config.yml");
        if (!Files.exists(config)) {
            Result r = cliIn(
                    home.resolve("xdg"),
                    tmp,
                    PASSWORD + "\n",
                    "login",
                    "--server",
                    serverBase(),
                    "--user",
                    "cli-alice",
                    "--password-stdin",
                    "--project",
                    "cli");
            assertThat(r.code()).as(r.toString()).isZero();
        }
        return config.toString();
    }

    private static String serverBase() {
        return cluster.apiBase().replace("/api/v1", "");
    }

    @Test
    void loginWithAPasswordOrATokenWritesTheConfigWithMode600() throws Exception {
        Path config = Path.of(login());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())))
                .isEqualTo("rwx------");
        String text = Files.readString(config);
        assertThat(text)
                .contains("server: " + serverBase() + "\n", "project: cli\n")
                .containsPattern("(?m)^token: \\S+$");

        Result me = cli("me", "--json");
        assertThat(me.code()).as(me.toString()).isZero();
        assertThat(me.json().get("user").get("name").asText()).isEqualTo("cli-alice");

        Path other = home.resolve("other-xdg");
        String token = api.user("cli-bob").token();
        Result byToken = cliIn(other, tmp, null, "login", "--server", serverBase() + "/api/v1", "--token", token);
        assertThat(byToken.code()).as(byToken.toString()).isZero();
        assertThat(byToken.out()).contains("cli-bob");
        assertThat(Files.readString(other.resolve("baton/config.yml"))).contains("token: " + token + "\n");

        Result wrong =
                cliIn(home.resolve("third-xdg"), tmp, null, "login", "--server", serverBase(), "--token", "bt_wrong");
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(4);
        assertThat(wrong.err()).startsWith("baton: ");
        assertThat(home.resolve("third-xdg/baton/config.yml")).doesNotExist();

        Result badPassword = cliIn(
                home.resolve("third-xdg"),
                tmp,
                "nope\n",
                "login",
                "--server",
                serverBase(),
                "--user",
                "cli-alice",
                "--password-stdin");
        assertThat(badPassword.code()).as(badPassword.toString()).isEqualTo(4);
    }

    @Test
    void runFollowsAMatrixPipelineToSuccessAndHonoursIgnoreFiles() throws Exception {
        login();
        Result run = cliIn(home.resolve("xdg"), project, null, "run", "--follow", "-p", "scale=3");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("(?m)^prep +SUCCEEDED +attempt 1 ")
                .containsPattern("(?m)^train\\[lr=0\\.1\\] +SUCCEEDED +attempt 1 ")
                .containsPattern("(?m)^train\\[lr=0\\.01\\] +SUCCEEDED +attempt 1 ")
                .contains("metrics (last values):")
                .containsPattern(
                        "train\\[lr=0\\.1\\] +loss=0\\.25 scale=3\\.0|train\\[lr=0\\.1\\] +loss=0\\.25 scale=3");
        Matcher ended = Pattern.compile("(?m)^run (\\S+) SUCCEEDED").matcher(run.out());
        assertThat(ended.find()).as(run.out()).isTrue();
        String id = ended.group(1);

        // the bundle holds what .gitignore and .batonignore leave
        String bundle = api.get("/runs/" + id).json().get("bundle").asText();
        assertThat(entries(bytes("/artifacts/" + bundle)))
                .containsExactly(".batonignore", ".gitignore", "baton.yaml", "keep.log", "prep.sh", "train.sh");

        Result logs = cli("runs", "logs", id, "train[lr=0.1]");
        assertThat(logs.code()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("training at 0.1").doesNotContain("training at 0.01");

        Result followed = cli("runs", "logs", id, "prep", "--follow"); // the attempt has ended: the whole log, then EOF
        assertThat(followed.code()).as(followed.toString()).isZero();
        assertThat(followed.out()).contains("preparing");

        Result shown = cli("runs", "show", id, "--json");
        assertThat(shown.json().get("status").asText()).isEqualTo("SUCCEEDED");
        Result list = cli("runs", "list", "--json", "--limit", "5");
        assertThat(list.json().isArray()).as(list.toString()).isTrue();
        assertThat(list.json().findValuesAsText("id")).contains(id);
        Result metrics = cli("runs", "metrics", id, "--json");
        assertThat(metrics.json().findValuesAsText("name")).contains("loss", "scale");

        // the model the prep step registered, aliased from the CLI
        Result alias = cli("models", "alias", "cli-model", "candidate", "1");
        assertThat(alias.code()).as(alias.toString()).isZero();
        Result model = cli("models", "show", "cli-model", "--json");
        assertThat(model.json().get("aliases").get("candidate").asInt())
                .as(model.toString())
                .isEqualTo(1);
    }

    private static byte[] bytes(String path) throws Exception {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.apiBase() + path))
                                .header("Authorization", "Bearer " + api.token())
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static List<String> entries(byte[] tgz) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tgz)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void aFailedRunExitsOneAndShowsTheFailingStepsLogTail() throws Exception {
        login();
        Path dir = Files.createDirectories(tmp.resolve("failing"));
        write(dir, "baton.yaml", """
            name: cli-fails
            steps:
              - name: breaks
                pool: cli
                command: ["sh", "-c", "echo first line; echo the boom line; exit 3"]
            """);
        Result run = cliIn(home.resolve("xdg"), tmp, null, "run", "failing", "--follow");
        assertThat(run.code()).as(run.toString()).isEqualTo(1);
        assertThat(run.out())
                .containsPattern("(?m)^breaks +FAILED +attempt 1")
                .contains("breaks failed (attempt 1, exit code 3)", "    the boom line")
                .containsPattern("(?m)^run \\S+ FAILED");
    }

    @Test
    void aRunCancelledFromAnotherCallEndsTheFollowWithExitTwo() throws Exception {
        login();
        Path dir = Files.createDirectories(tmp.resolve("sleeps"));
        write(dir, "baton.yaml", """
            name: cli-sleeps
            steps:
              - name: nap
                pool: cli
                command: ["sleep", "60"]
            """);
        ProcessBuilder pb = builder(home.resolve("xdg"), dir, "run", "--follow");
        Path out = tmp.resolve("follow.out");
        Path err = tmp.resolve("follow.err");
        Process follow =
                pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String id = Wait.until("the followed run's id", Duration.ofSeconds(30), () -> {
                try {
                    Matcher m = Pattern.compile("; run (\\S+)").matcher(Files.readString(err));
                    return m.find() ? m.group(1) : null;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Result cancel = cli("runs", "cancel", id);
            assertThat(cancel.code()).as(cancel.toString()).isZero();
            assertThat(follow.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(follow.exitValue())
                    .as(Files.readString(out) + Files.readString(err))
                    .isEqualTo(2);
            assertThat(Files.readString(out)).containsPattern("(?m)^run \\S+ CANCELLED");
        } finally {
            follow.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsFollowingAndTheRunGoesOn() throws Exception {
        login();
        Path dir = Files.createDirectories(tmp.resolve("interrupted"));
        write(dir, "baton.yaml", """
            name: cli-interrupted
            steps:
              - name: nap
                pool: cli
                command: ["sleep", "60"]
            """);
        Path err = tmp.resolve("interrupted.err");
        Process follow = builder(home.resolve("xdg"), dir, "run", "--follow")
                .redirectOutput(tmp.resolve("interrupted.out").toFile())
                .redirectError(err.toFile())
                .start();
        String id = null;
        try {
            id = Wait.until("the followed run's id", Duration.ofSeconds(30), () -> {
                try {
                    Matcher m = Pattern.compile("; run (\\S+)").matcher(Files.readString(err));
                    return m.find() ? m.group(1) : null;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the launcher execs java: the process is the CLI's JVM, and SIGINT is what Ctrl-C sends it
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(follow.pid()))
                            .start()
                            .waitFor())
                    .isZero();
            assertThat(follow.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(follow.exitValue()).isEqualTo(130);
            assertThat(Files.readString(err))
                    .contains("stopped following run " + id + "; it goes on (cancel it with: baton runs cancel " + id
                            + ")");
            assertThat(api.get("/runs/" + id).json().get("status").asText()).isIn("QUEUED", "RUNNING");
        } finally {
            follow.destroyForcibly();
            if (id != null) {
                api.post("/runs/" + id + "/cancel", null);
            }
        }
    }

    @Test
    void aBadSpecExitsThreeWithLineAndColumn() throws Exception {
        login();
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        write(dir, "baton.yaml", """
            name: cli-bad
            steps:
              - name: a
                command: ["true"]
                retries: lots
            """);
        Result validate = cliIn(home.resolve("xdg"), dir, null, "validate", "baton.yaml");
        assertThat(validate.code()).as(validate.toString()).isEqualTo(3);
        assertThat(validate.err()).containsPattern("(?m)^baton\\.yaml:5:\\d+: .+");

        Result run = cliIn(home.resolve("xdg"), tmp, null, "run", "bad", "--detach");
        assertThat(run.code()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).startsWith("baton: ").containsPattern("bad/baton\\.yaml:5:\\d+: ");

        Result good = cliIn(home.resolve("xdg"), project, null, "validate", "baton.yaml", "--json");
        assertThat(good.code()).as(good.toString()).isZero();
        assertThat(good.json().get("valid").asBoolean()).isTrue();

        Result usage = cli("runs", "list", "--no-such-option");
        assertThat(usage.code()).isEqualTo(3);
        Result missing = cli("runs", "show", "no-such-run");
        assertThat(missing.code()).as(missing.toString()).isEqualTo(4);
        assertThat(missing.err()).startsWith("baton: ").contains("no-such-run");
    }

    @Test
    void schedulesAndDatasetsFromTheCommandLine() throws Exception {
        login();
        Result registered = cliIn(home.resolve("xdg"), project, null, "pipelines", "register", "baton.yaml", "--json");
        assertThat(registered.code()).as(registered.toString()).isZero();
        assertThat(registered.json().get("name").asText()).isEqualTo("cli-demo");

        Result created = cli(
                "schedules",
                "create",
                "cli-nightly",
                "--pipeline",
                "cli-demo",
                "--every",
                "1h",
                "-p",
                "scale=4",
                "--paused",
                "--json");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.json().get("name").asText()).isEqualTo("cli-nightly");
        Result unpaused = cli("schedules", "unpause", "cli-nightly", "--json");
        assertThat(unpaused.json().get("paused").asBoolean())
                .as(unpaused.toString())
                .isFalse();
        Result paused = cli("schedules", "pause", "cli-nightly");
        assertThat(paused.code()).as(paused.toString()).isZero();
        assertThat(api.get("/schedules/cli-nightly?project=cli")
                        .json()
                        .get("paused")
                        .asBoolean())
                .isTrue();
        Result deleted = cli("schedules", "delete", "cli-nightly");
        assertThat(deleted.code()).as(deleted.toString()).isZero();
        assertThat(api.get("/schedules/cli-nightly?project=cli").status()).isEqualTo(404);

        Path data = Files.createDirectories(tmp.resolve("points"));
        write(data, "points.csv", "1\n2\n");
        Result pushed = cli("datasets", "push", "cli-points", data.toString(), "--json");
        assertThat(pushed.code()).as(pushed.toString()).isZero();
        assertThat(pushed.json().get("version").asInt()).isEqualTo(1);
        Result datasets = cli("datasets", "list", "--json");
        assertThat(datasets.json().findValuesAsText("name"))
                .as(datasets.toString())
                .contains("cli-points");

        Result workers = cli("--json", "workers", "list"); // a common option before the command applies to it
        assertThat(workers.json().findValuesAsText("name"))
                .as(workers.toString())
                .contains("cli");

        Result pools = cli("pools", "list");
        assertThat(pools.code()).as(pools.toString()).isZero();
        assertThat(pools.out()).containsPattern("(?m)^NAME +WORKERSONLINE").containsPattern("(?m)^cli +1 ");
    }
}
