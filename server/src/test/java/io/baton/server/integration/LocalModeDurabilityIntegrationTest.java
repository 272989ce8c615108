package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.LocalMode;
import io.baton.server.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Local mode as a user runs it, killed with {@code kill -9} at random moments under a steady stream of submissions,
 * log and metric writes and registrations, on a data folder with history: whatever the client was answered must be
 * there after each restart, and nothing may be corrupt. Then its folder's privacy and a SIGTERM under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalModeDurabilityIntegrationTest {
    private static final int KILLS = 30;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);
    private static final String DEMO_SPEC = """
      name: demo-like
      steps:
        - name: prepare
          command:
            - sh
            - -c
            - |
              i=0; while [ $i -lt 4000 ]; do echo "prepare line $i: a log line long enough to fill pages of text"; i=$((i+1)); done
        - name: train
          needs: [prepare]
          matrix: {lr: [1, 2]}
          command:
            - sh
            - -c
            - |
              for e in 1 2 3 4 5 6 7 8; do echo "{\\"epoch\\": $e, \\"loss\\": 0.$e}"; echo "epoch $e with lr {matrix.lr}"; done
        - name: evaluate
          needs: [train]
          command: ["sh", "-c", "echo evaluated"]
      """;
    private static final String STREAM_SPEC = """
      name: kill-stream
      steps:
        - name: talk
          command:
            - sh
            - -c
            - |
              i=0; while [ $i -lt 300 ]; do echo "line $i of a step that talks"; echo "{\\"loss\\": $i}"; i=$((i+1)); done
      """;

    private static LocalMode local;
    private static volatile Api api;
    private static final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Acknowledged acked = new Acknowledged();

    @BeforeAll
    static void startLocalMode() throws Exception {
        local = new LocalMode(Path.of("target", "local-mode-" + System.currentTimeMillis()));
        local.start();
        api = local.admin().project("tests");
    }

    @AfterAll
    static void stopLocalMode() throws Exception {
        if (local != null) {
            local.close();
        }
    }

    @Test
    @Order(1)
    void killNineAtRandomMomentsLosesNothingAcknowledgedAndCorruptsNothing() throws Exception {
        makeHistory();
        Random random = new Random();
        for (int cycle = 1; cycle <= KILLS; cycle++) {
            Traffic traffic = new Traffic(cycle, random.nextLong());
            traffic.start();
            int acksBefore = acked.count();
            Wait.until(
                    "the first acknowledged write of cycle " + cycle,
                    Duration.ofSeconds(60),
                    () -> acked.count() > acksBefore);
            Thread.sleep(random.nextInt(2500)); // the kill's moment: random, by design
            local.kill();
            traffic.stop();
            local.start();
            api = local.admin();
            checkAcknowledged("after kill " + cycle, false);
        }
        checkAcknowledged("after " + KILLS + " kills", true);
        assertThat(problems).as("answers about acknowledged runs between kills").isEmpty();
        assertThat(acked.runs.size()).as("runs acknowledged").isGreaterThan(KILLS);
        assertThat(acked.finished.size()).as("runs seen finished").isGreaterThan(3);
    }

    @Test
    @Order(2)
    void theDataFolderAndItsFilesAreTheOwnersAlone() throws Exception {
        Path data = local.dataDir();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        Set<PosixFilePermission> others = EnumSet.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_WRITE);
        List<String> open = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data)) {
            files.filter(p -> Files.isRegularFile(p) || Files.isDirectory(p)).forEach(p -> {
                try {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p);
                    if (permissions.stream().anyMatch(others::contains)) {
                        open.add(data.relativize(p) + " " + PosixFilePermissions.toString(permissions));
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile (a step's workspace): nothing to read
                }
            });
        }
        // the metadata, the specs with their secrets, the tokens, the blobs: none readable by another user
        assertThat(open).as("files and folders that others may read or write").isEmpty();
    }

    @Test
    @Order(3)
    void sigtermWhileRequestsAreInFlightNeverAnswers500() throws Exception {
        List<String> errors = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int client = i;
            Thread t = new Thread(
                    () -> {
                        int n = 0;
                        while (local.alive()) {
                            try {
                                Api.Answer a = switch (n++ % 3) {
                                    case 0 -> api.post("/runs", Map.of("project", "tests", "spec", STREAM_SPEC));
                                    case 1 -> api.get("/runs?limit=20");
                                    default ->
                                        api.post(
                                                "/datasets",
                                                Map.of("name", "term-" + client + "-" + n, "project", "tests"));
                                };
                                answered.incrementAndGet();
                                // 503: Jetty refuses a request that arrives once the graceful stop began (retry later),
                                // by design
                                if (a.status() >= 500 && a.status() != 503) {
                                    synchronized (errors) {
                                        errors.add(a.status() + " " + a.text());
                                    }
                                }
                            } catch (RuntimeException e) {
                                // refused or cut: the server is gone, which is not an error answer
                            }
                        }
                    },
                    "sigterm-client-" + i);
            t.start();
            clients.add(t);
        }
        Wait.until("requests to flow", Duration.ofSeconds(30), () -> answered.get() > 20);
        local.sigterm();
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(errors)
                .as("server errors during the shutdown (a closed database answered 500)")
                .isEmpty();
    }

    /** A demo-like run, registrations, two clean restarts, another run: the folder has a past. */
    private static void makeHistory() throws Exception {
        finish(submit(DEMO_SPEC));
        register("history", 0);
        local.sigterm();
        local.start();
        api = local.admin();
        finish(submit(DEMO_SPEC));
        local.sigterm();
        local.start();
        api = local.admin();
        checkAcknowledged("after two restarts", true);
    }

    private static String submit(String spec) {
        Api.Answer a = api.post("/runs", Map.of("project", "tests", "spec", spec));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        String id = a.json().get("id").asText();
        acked.runs.add(id);
        return id;
    }

    private static void finish(String id) {
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        acked.sawFinished(api, run);
    }

    private static void register(String prefix, int n) {
        String name = prefix + "-" + n;
        Api.Answer dataset = api.post("/datasets", Map.of("name", "ds-" + name, "project", "tests"));
        if (dataset.status() == 201) {
            acked.datasets.add("ds-" + name);
        }
        Api.Answer model = api.post("/models", Map.of("name", "model-" + name, "project", "tests"));
        if (model.status() == 201) {
            acked.models.add("model-" + name);
        }
    }

    /**
     * Every run, dataset and model answered 201 is listed; the runs answered since the last check answer 200; the
     * logs and metrics of runs seen finished and the log texts readers were given are still there: all of those seen
     * since the last check and a few older ones at random (all of them when {@code everything}), so that a check
     * costs about the same at every kill.
     */
    private static void checkAcknowledged(String when, boolean everything) {
        assertThat(names("/runs", "id")).as("runs answered 201, " + when).containsAll(acked.runs);
        assertThat(names("/datasets", "name"))
                .as("datasets answered 201, " + when)
                .containsAll(acked.datasets);
        assertThat(names("/models", "name")).as("models answered 201, " + when).containsAll(acked.models);
        for (String id : acked.unchecked("run", acked.runs, everything)) {
            assertThat(api.get("/runs/" + id).status())
                    .as("run " + id + " " + when)
                    .isEqualTo(200);
        }
        for (String id : acked.unchecked("finished", acked.finished.keySet(), everything)) {
            Acknowledged.Finished seen = acked.finished.get(id);
            JsonNode run = api.get("/runs/" + id).json();
            assertThat(run.get("status").asText()).as("run " + id + " " + when).isEqualTo("SUCCEEDED");
            assertThat(Acknowledged.logsOf(api, run))
                    .as("logs of finished run " + id + " " + when)
                    .isEqualTo(seen.logs());
            assertThat(api.get("/runs/" + id + "/metrics").json())
                    .as("metrics of run " + id + " " + when)
                    .isEqualTo(seen.metrics());
        }
        for (String where : acked.unchecked("log", acked.logPrefixes.keySet(), everything)) {
            String[] parts = where.split("\n");
            String logs = Runs.logs(api, parts[0], parts[1], "?attempt=" + parts[2]);
            assertThat(logs)
                    .as("log of " + where.replace('\n', ' ') + " " + when)
                    .startsWith(acked.logPrefixes.get(where));
        }
    }

    private static Set<String> names(String path, String field) {
        Set<String> all = new HashSet<>();
        String cursor = null;
        do {
            Api.Answer page = api.get(path + "?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            page.json().get("items").forEach(item -> all.add(item.get(field).asText()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        return all;
    }

    /** What the client was answered: every one of these must survive any kill. */
    static final class Acknowledged {
        record Finished(String logs, JsonNode metrics) {}

        final Set<String> runs = ConcurrentHashMap.newKeySet();
        final Set<String> datasets = ConcurrentHashMap.newKeySet();
        final Set<String> models = ConcurrentHashMap.newKeySet();
        final Map<String, Finished> finished = new ConcurrentHashMap<>();
        /** "run\nstep\nattempt" → the log text a reader was given while the attempt ran. */
        final Map<String, String> logPrefixes = new ConcurrentHashMap<>();

        private final Set<String> checked = new HashSet<>();
        private final Random random = new Random();

        /** Of {@code keys}: those not checked before, and three of the others (or every one). */
        List<String> unchecked(String kind, Set<String> keys, boolean everything) {
            List<String> fresh = new ArrayList<>();
            List<String> old = new ArrayList<>();
            for (String key : keys) {
                (checked.add(kind + "\n" + key) ? fresh : old).add(key);
            }
            java.util.Collections.shuffle(old, random);
            fresh.addAll(everything ? old : old.subList(0, Math.min(3, old.size())));
            return fresh;
        }

        int count() {
            return runs.size() + datasets.size() + models.size();
        }

        void sawFinished(Api api, JsonNode run) {
            String id = run.get("id").asText();
            finished.put(
                    id,
                    new Finished(
                            logsOf(api, run),
                            api.get("/runs/" + id + "/metrics").json()));
        }

        void sawRunning(Api api, JsonNode run) {
            for (JsonNode step : run.get("steps")) {
                JsonNode attempts = step.get("attempts");
                if (attempts.isEmpty()) {
                    continue;
                }
                String attempt = attempts.get(attempts.size() - 1).get("number").asText();
                String logs =
                        Runs.logs(api, run.get("id").asText(), step.get("name").asText(), "?attempt=" + attempt);
                if (!logs.isEmpty()) {
                    logPrefixes.put(
                            run.get("id").asText() + "\n" + step.get("name").asText() + "\n" + attempt, logs);
                }
            }
        }

        static String logsOf(Api api, JsonNode run) {
            StringBuilder all = new StringBuilder();
            for (JsonNode step : run.get("steps")) {
                all.append("== ").append(step.get("name").asText()).append('\n');
                for (JsonNode attempt : step.get("attempts")) {
                    all.append(Runs.logs(
                            api,
                            run.get("id").asText(),
                            step.get("name").asText(),
                            "?attempt=" + attempt.get("number").asText()));
                }
            }
            return all.toString();
        }
    }

    /** The steady stream of a cycle: a submitter, a registrar and a reader, until the kill. */
    private static final class Traffic {
        private final int cycle;
        private final Random random;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Traffic(int cycle, long seed) {
            this.cycle = cycle;
            this.random = new Random(seed);
        }

        void start() {
            threads.add(loop("submitter", n -> submit(STREAM_SPEC)));
            threads.add(loop("registrar", n -> register("c" + cycle, n)));
            threads.add(loop("reader", n -> read()));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        private Thread loop(String name, java.util.function.IntConsumer action) {
            return new Thread(
                    () -> {
                        for (int n = 0; running; n++) {
                            try {
                                action.accept(n);
                            } catch (RuntimeException | AssertionError e) {
                                // the server was killed under this request: nothing was acknowledged
                            }
                        }
                    },
                    "cycle-" + cycle + "-" + name);
        }

        private void read() {
            List<String> ids = new ArrayList<>(acked.runs);
            String id = ids.get(random.nextInt(ids.size()));
            Api.Answer a = api.get("/runs/" + id);
            if (a.status() != 200) {
                problems.add("run " + id + " answered " + a.status() + " while local mode ran: " + a.text());
                return;
            }
            JsonNode run = a.json();
            if ("SUCCEEDED".equals(run.get("status").asText()) && !acked.finished.containsKey(id)) {
                acked.sawFinished(api, run);
            } else if ("RUNNING".equals(run.get("status").asText())) {
                acked.sawRunning(api, run);
            }
        }
    }
}
