package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schedules on the real Temporal dev server: interval fires, pause, unpause, trigger, backfill, every overlap policy
 * with a step slower than the interval, a server {@code kill -9} during fires, data triggers and bad input.
 */
@ExtendWith(ClusterExtension.class)
// a pool of its own (the cluster is shared by the test classes of a JVM: another class's steps never land here), with
// room for the overlap test's six schedules of sleeping steps at once
@ClusterExtension.Worker(name = "sw", pools = "sched", env = "BATON_SLOTS=8")
class SchedulesIntegrationTest {
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;
    private static ScheduleClient temporalSchedules;

    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @BeforeAll
    static void schedulesClient() {
        temporalSchedules = ScheduleClient.newInstance(
                cluster.temporalClient().getWorkflowServiceStubs(),
                ScheduleClientOptions.newBuilder().setNamespace("default").build());
    }

    @AfterAll
    static void deleteSchedules() {
        // schedules left firing would load the tests that run after this class
        for (String project :
                List.of("sched-a", "sched-b", "sched-o", "sched-k", "sched-d", "sched-x", "sched-w", "sched-t")) {
            JsonNode list = api.get("/schedules?project=" + project).json();
            if (list != null && list.has("items")) {
                list.get("items")
                        .forEach(s -> api.send(
                                "DELETE", "/schedules/" + s.get("name").asText() + "?project=" + project, null));
            }
        }
    }

    /** Registers a pipeline of one step; {@code inputs}: the step's inputs as a YAML flow mapping. */
    private static void pipeline(String project, String name, String command, String... inputs) {
        api.project(project);
        StringBuilder spec = new StringBuilder("name: " + name + "\nsteps:\n  - name: work\n    command: " + command
                + "\n    pool: sched\n    resources: {cpus: 0.1, memory: 32Mi}\n");
        if (inputs.length > 0) {
            spec.append("    inputs: ").append(inputs[0]).append('\n');
        }
        Api.Answer a = api.post("/pipelines", Map.of("project", project, "spec", spec.toString()));
        assertThat(a.status()).as(a.text()).isIn(200, 201);
    }

    private static JsonNode create(Map<String, Object> body) {
        Api.Answer a = api.post("/schedules", body);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        return a.json();
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** A run of a schedule, with its trigger (from the run's record). */
    record Fired(String id, String status, Instant scheduledAt, Integer version, Instant started, Instant finished) {}

    /** Every run of the project (each test's schedules have a project of their own), oldest first. */
    private static List<Fired> runs(String project) {
        List<Fired> fired = new ArrayList<>();
        for (JsonNode run : api.get("/runs?limit=500&project=" + project).json().get("items")) {
            JsonNode record =
                    api.get("/runs/" + run.get("id").asText() + "/record").json();
            JsonNode trigger = record.get("trigger");
            JsonNode view = record.get("run");
            fired.add(new Fired(
                    view.get("id").asText(),
                    view.get("status").asText(),
                    trigger.hasNonNull("scheduledAt")
                            ? Instant.parse(trigger.get("scheduledAt").asText())
                            : null,
                    trigger.hasNonNull("version") ? trigger.get("version").asInt() : null,
                    view.hasNonNull("startedAt")
                            ? Instant.parse(view.get("startedAt").asText())
                            : null,
                    view.hasNonNull("finishedAt")
                            ? Instant.parse(view.get("finishedAt").asText())
                            : null));
            assertThat(trigger.get("kind").asText())
                    .as("run %s's trigger", run.get("id"))
                    .isIn("schedule", "dataset");
            assertThat(run.get("trigger"))
                    .as("run %s's trigger in the runs list, as in its record", run.get("id"))
                    .isEqualTo(trigger);
        }
        fired.sort(Comparator.comparing(Fired::id));
        return fired;
    }

    private static void pause(String project, String name) {
        Api.Answer a = api.post("/schedules/" + name + "/pause?project=" + project, Map.of("note", "test"));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.json().get("paused").asBoolean()).isTrue();
    }

    private static List<Fired> allEnded(String project, Duration max) {
        return Wait.until("every run of " + project + " to end", max, () -> {
            List<Fired> runs = runs(project);
            return runs.stream().allMatch(r -> TERMINAL.contains(r.status())) ? runs : null;
        });
    }

    @Test
    void intervalScheduleStartsRunsThatPauseStopsAndUnpauseResumes() throws Exception {
        pipeline("sched-a", "tick", "[\"true\"]");
        JsonNode created = create(body("name", "tick", "project", "sched-a", "pipeline", "tick", "every", "2s"));
        assertThat(created.get("paused").asBoolean()).isFalse();
        assertThat(created.get("overlap").asText()).isEqualTo("skip");
        assertThat(created.get("nextRunTimes")).hasSize(3);
        String temporalId = "schedule-" + created.get("id").asText();
        Wait.until(
                "a real Temporal Schedule, as `temporal schedule list` shows",
                Duration.ofSeconds(10),
                () -> temporalSchedules
                        .listSchedules()
                        .anyMatch(s -> s.getScheduleId().equals(temporalId)));

        List<Fired> two = Wait.until("two fires' runs", Duration.ofSeconds(30), () -> {
            List<Fired> r = runs("sched-a");
            return r.size() >= 2 ? r : null;
        });
        for (Fired f : two) {
            assertThat(f.scheduledAt()).as("a fire time on the 2 s grid").isNotNull();
            assertThat(f.scheduledAt().toEpochMilli() % 2000).isZero();
        }
        pause("sched-a", "tick");
        allEnded("sched-a", Duration.ofSeconds(30));
        int paused = runs("sched-a").size();
        // absence can only be shown over time: three intervals with no new run
        Thread.sleep(6000);
        assertThat(runs("sched-a")).as("no run while paused").hasSize(paused);

        Api.Answer unpaused = api.post("/schedules/tick/unpause?project=sched-a", Map.of());
        assertThat(unpaused.status()).as(unpaused.text()).isEqualTo(200);
        assertThat(unpaused.json().get("paused").asBoolean()).isFalse();
        Wait.until(
                "a run after unpause",
                Duration.ofSeconds(20),
                () -> runs("sched-a").size() > paused);
        JsonNode view = api.get("/schedules/tick?project=sched-a").json();
        assertThat(view.get("recentRuns").size()).isGreaterThan(paused);
        assertThat(view.get("recentRuns").get(0).get("scheduledAt").asText()).isNotEmpty();
        pause("sched-a", "tick");
        List<Fired> all = allEnded("sched-a", Duration.ofSeconds(30));
        assertThat(all).allMatch(f -> f.status().equals("SUCCEEDED"));
        assertThat(all.stream().map(Fired::scheduledAt).distinct().count())
                .as("one run per fire time")
                .isEqualTo(all.size());
    }

    /** The schedule's id: its Temporal Schedule is schedule-<id>. */
    private static String idOf(String project, String name) {
        return api.get("/schedules/" + name + "?project=" + project)
                .json()
                .get("id")
                .asText();
    }

    @Test
    void triggerAndBackfillStartExactlyTheirRuns() {
        pipeline("sched-b", "once", "[\"true\"]");
        create(body(
                "name",
                "manual",
                "project",
                "sched-b",
                "pipeline",
                "once",
                "every",
                "2s",
                "overlap",
                "allowAll",
                "paused",
                true));
        assertThat(api.get("/schedules/manual?project=sched-b")
                        .json()
                        .get("paused")
                        .asBoolean())
                .isTrue();

        Api.Answer triggered = api.post("/schedules/manual/trigger?project=sched-b", null);
        assertThat(triggered.status()).as(triggered.text()).isEqualTo(201);
        String triggeredRun = triggered.json().get("id").asText();

        // five fire times on the 2 s grid, the range's ends off the grid
        long grid = Instant.now().minusSeconds(120).toEpochMilli() / 2000 * 2000;
        Instant from = Instant.ofEpochMilli(grid + 500);
        Instant to = Instant.ofEpochMilli(grid + 10_500);
        Api.Answer backfill = api.post(
                "/schedules/manual/backfill?project=sched-b", Map.of("from", from.toString(), "to", to.toString()));
        assertThat(backfill.status()).as(backfill.text()).isEqualTo(202);

        List<Fired> runs = Wait.until("the trigger's run and five backfilled runs", Duration.ofSeconds(40), () -> {
            List<Fired> r = runs("sched-b");
            return r.size() >= 6 && r.stream().allMatch(f -> TERMINAL.contains(f.status())) ? r : null;
        });
        Set<Instant> backfilled = runs.stream()
                .filter(r -> !r.id().equals(triggeredRun))
                .map(Fired::scheduledAt)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Instant> expected = new TreeSet<>();
        for (int i = 1; i <= 5; i++) {
            expected.add(Instant.ofEpochMilli(grid + i * 2000L));
        }
        assertThat(backfilled).isEqualTo(expected);
        assertThat(runs).hasSize(6).extracting(Fired::id).contains(triggeredRun);
        assertThat(runs).allMatch(f -> f.status().equals("SUCCEEDED"));
    }

    @Test
    void eachOverlapPolicyActsOnRunsAsNamed() throws Exception {
        // a 4 s step on a 2 s interval: every policy meets a fire while a run is running
        pipeline("sched-o", "slow", "[\"sleep\", \"4\"]");
        List<String> policies = List.of("skip", "bufferOne", "bufferAll", "allowAll", "cancelOther", "terminateOther");
        for (String policy : policies) {
            create(body(
                    "name",
                    policy,
                    "project",
                    "sched-o",
                    "pipeline",
                    "slow",
                    "every",
                    "2s",
                    "overlap",
                    policy,
                    "parameters",
                    Map.of()));
        }
        Wait.until("a few fires of every policy", Duration.ofSeconds(40), () -> {
            Map<String, Long> counts = byPolicy().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e ->
                    (long) e.getValue().size()));
            return policies.stream().allMatch(p -> counts.getOrDefault(p, 0L) >= 3) ? counts : null;
        });
        for (String policy : policies) {
            pause("sched-o", policy);
        }
        // buffered fires still run after the pause: wait until every run ended and nothing new came for a while
        Wait.until("the schedules to settle", Duration.ofSeconds(180), () -> {
            List<Fired> a = runs("sched-o");
            return a.stream().allMatch(f -> TERMINAL.contains(f.status())) ? true : null;
        });
        Map<String, List<Fired>> runs = byPolicy();

        // skip: never two at once; the fires during a run are dropped (a 4 s run spans 2 fires)
        assertNoOverlap(runs.get("skip"), "skip");
        assertGaps(runs.get("skip"), Duration.ofMillis(3900), "skip drops the fires during a run");
        // bufferOne: never two at once; the next starts as soon as one ends
        assertNoOverlap(runs.get("bufferOne"), "bufferOne");
        // bufferAll: never two at once, and no fire dropped: consecutive fire times
        assertNoOverlap(runs.get("bufferAll"), "bufferAll");
        assertConsecutive(runs.get("bufferAll"), "bufferAll");
        // allowAll: runs overlap
        List<Fired> all = runs.get("allowAll");
        boolean overlapped = false;
        for (int i = 1; i < all.size(); i++) {
            overlapped |= all.get(i).started().isBefore(all.get(i - 1).finished());
        }
        assertThat(overlapped).as("allowAll runs overlap: %s", all).isTrue();
        assertConsecutive(all, "allowAll");
        // cancelOther and terminateOther: each fire ends the run before it (CANCELLED), the last one may finish
        for (String policy : List.of("cancelOther", "terminateOther")) {
            List<Fired> r = runs.get(policy);
            assertThat(r.subList(0, r.size() - 1))
                    .as("%s: every run but the last was cancelled by the next fire: %s", policy, r)
                    .allMatch(f -> f.status().equals("CANCELLED"));
            for (int i = 1; i < r.size(); i++) {
                // Temporal's scheduler may act a few hundred milliseconds before the nominal fire time (its timers
                // count from its own workflow time); a run cancelled by anything else would end seconds earlier
                assertThat(r.get(i - 1).finished())
                        .as("%s: run %d ended when the fire after it came, not before: %s", policy, i - 1, r)
                        .isAfterOrEqualTo(r.get(i).scheduledAt().minusSeconds(1));
            }
        }
    }

    private static Map<String, List<Fired>> byPolicy() {
        Map<String, List<Fired>> by = new LinkedHashMap<>();
        for (Fired f : runs("sched-o")) {
            JsonNode record = api.get("/runs/" + f.id() + "/record").json();
            String schedule = record.get("trigger").get("schedule").asText();
            by.computeIfAbsent(schedule, k -> new ArrayList<>()).add(f);
        }
        by.values().forEach(l -> l.sort(Comparator.comparing(Fired::scheduledAt)));
        return by;
    }

    private static void assertNoOverlap(List<Fired> runs, String policy) {
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).started())
                    .as("%s: run %d starts after run %d ended: %s", policy, i, i - 1, runs)
                    .isAfterOrEqualTo(runs.get(i - 1).finished());
        }
    }

    private static void assertGaps(List<Fired> runs, Duration min, String what) {
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Duration.between(
                            runs.get(i - 1).scheduledAt(), runs.get(i).scheduledAt()))
                    .as("%s: %s", what, runs)
                    .isGreaterThanOrEqualTo(min);
        }
    }

    private static void assertConsecutive(List<Fired> runs, String policy) {
        for (int i = 1; i < runs.size(); i++) {
            assertThat(Duration.between(
                            runs.get(i - 1).scheduledAt(), runs.get(i).scheduledAt()))
                    .as("%s: no fire dropped: %s", policy, runs)
                    .isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void killingTheServerDuringFiresNeitherLosesNorDoublesARun() throws Exception {
        pipeline("sched-k", "quick", "[\"true\"]");
        create(body("name", "steady", "project", "sched-k", "pipeline", "quick", "every", "1s", "overlap", "allowAll"));
        Wait.until(
                "fires before the kill",
                Duration.ofSeconds(20),
                () -> runs("sched-k").size() >= 2);
        cluster.killServer();
        cluster.startServer();
        int beforeRestart = runs("sched-k").size();
        Wait.until(
                "fires after the restart",
                Duration.ofSeconds(30),
                () -> runs("sched-k").size() >= beforeRestart + 3);
        pause("sched-k", "steady");
        List<Fired> runs = allEnded("sched-k", Duration.ofSeconds(60));
        long fires = temporalSchedules
                .getHandle("schedule-" + idOf("sched-k", "steady"))
                .describe()
                .getInfo()
                .getNumActions();
        Set<Instant> times = new HashSet<>();
        runs.forEach(r -> assertThat(times.add(r.scheduledAt()))
                .as("one run per fire time: %s", r.scheduledAt())
                .isTrue());
        assertThat((long) runs.size()).as("a run for every fire Temporal made").isEqualTo(fires);
        List<Fired> byTime =
                runs.stream().sorted(Comparator.comparing(Fired::scheduledAt)).toList();
        for (int i = 1; i < byTime.size(); i++) {
            assertThat(Duration.between(
                            byTime.get(i - 1).scheduledAt(), byTime.get(i).scheduledAt()))
                    .as("no fire time without its run: %s", byTime)
                    .isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(runs).allMatch(f -> f.status().equals("SUCCEEDED"));
    }

    @Test
    void killingTemporalDuringFiresNeitherLosesNorDoublesARun() throws Exception {
        pipeline("sched-t", "quick", "[\"true\"]");
        create(body("name", "steady", "project", "sched-t", "pipeline", "quick", "every", "1s", "overlap", "allowAll"));
        Wait.until(
                "fires before the kill",
                Duration.ofSeconds(20),
                () -> runs("sched-t").size() >= 2);
        cluster.restartTemporal(); // kill -9 of the dev server, started again on its file
        int beforeRestart = runs("sched-t").size();
        Wait.until(
                "fires after Temporal's restart",
                Duration.ofSeconds(40),
                () -> runs("sched-t").size() >= beforeRestart + 3);
        Wait.until("the schedule to pause", Duration.ofSeconds(20), () -> {
            Api.Answer a = api.post("/schedules/steady/pause?project=sched-t", Map.of());
            return a.status() == 200 ? a : null;
        });
        List<Fired> runs = allEnded("sched-t", Duration.ofSeconds(60));
        long fires = temporalSchedules
                .getHandle("schedule-" + idOf("sched-t", "steady"))
                .describe()
                .getInfo()
                .getNumActions();
        assertThat(runs.stream().map(Fired::scheduledAt).distinct().count())
                .as("one run per fire time: %s", runs)
                .isEqualTo(runs.size());
        assertThat((long) runs.size()).as("a run for every fire Temporal made").isEqualTo(fires);
        assertThat(runs).allMatch(f -> f.status().equals("SUCCEEDED"));
    }

    @Test
    void killingTheWorkerOfAScheduledRunLosesNoRunAndNoFire() throws Exception {
        // a worker of its own, so that its kill touches no other test's steps
        cluster.startWorker("swk", List.of("sched-kill"));
        api.project("sched-w");
        String spec = "name: slow\nsteps:\n  - name: work\n    command: [\"sleep\", \"3\"]\n    pool: sched-kill\n"
                + "    resources: {cpus: 0.1, memory: 32Mi}\n";
        Api.Answer p = api.post("/pipelines", Map.of("project", "sched-w", "spec", spec));
        assertThat(p.status()).as(p.text()).isIn(200, 201);
        create(body("name", "steady", "project", "sched-w", "pipeline", "slow", "every", "2s", "overlap", "allowAll"));
        Wait.until(
                "a scheduled run's step running on the worker",
                Duration.ofSeconds(30),
                () -> runs("sched-w").stream().anyMatch(r -> r.started() != null && r.finished() == null));
        cluster.killWorker("swk");
        int beforeRestart = runs("sched-w").size();
        cluster.startWorker("swk", List.of("sched-kill"));
        Wait.until(
                "fires after the worker's restart",
                Duration.ofSeconds(30),
                () -> runs("sched-w").size() >= beforeRestart + 2);
        pause("sched-w", "steady");
        List<Fired> runs = allEnded("sched-w", Duration.ofSeconds(120));
        long fires = temporalSchedules
                .getHandle("schedule-" + idOf("sched-w", "steady"))
                .describe()
                .getInfo()
                .getNumActions();
        assertThat(runs.stream().map(Fired::scheduledAt).distinct().count())
                .as("one run per fire time: %s", runs)
                .isEqualTo(runs.size());
        assertThat((long) runs.size()).as("a run for every fire Temporal made").isEqualTo(fires);
        // the step the kill interrupted was retried (its attempt LOST): every run succeeded
        assertThat(runs).allMatch(f -> f.status().equals("SUCCEEDED"));
    }

    @Test
    void datasetTriggerRunsOncePerNewVersionOnThatVersion() throws Exception {
        api.project("sched-d");
        assertThat(api.post("/datasets", Map.of("name", "iris", "project", "sched-d"))
                        .status())
                .isEqualTo(201);
        addVersion("first");
        pipeline(
                "sched-d",
                "retrain",
                "[\"sh\", \"-c\", \"cat $BATON_INPUTS/raw/rows.csv\"]",
                "{raw: \"dataset://iris@latest\"}");
        JsonNode created =
                create(body("name", "on-iris", "project", "sched-d", "pipeline", "retrain", "onDataset", "iris"));
        assertThat(created.get("overlap").asText())
                .as("a data trigger buffers one")
                .isEqualTo("bufferOne");
        assertThat(created.get("onDataset").asText()).isEqualTo("iris");

        addVersion("second");
        List<Fired> one = Wait.until("the run of version 2", Duration.ofSeconds(30), () -> {
            List<Fired> r = runs("sched-d");
            return r.size() == 1 && TERMINAL.contains(r.get(0).status()) ? r : null;
        });
        assertThat(one.get(0).version()).isEqualTo(2);
        assertThat(one.get(0).status()).isEqualTo("SUCCEEDED");
        assertThat(Runs.logs(api, one.get(0).id(), "work", "")).isEqualTo("second\n");

        addVersion("third");
        addVersion("fourth");
        List<Fired> runs = Wait.until("the run of version 4", Duration.ofSeconds(30), () -> {
            List<Fired> r = runs("sched-d");
            return r.stream().anyMatch(f -> Integer.valueOf(4).equals(f.version()))
                            && r.stream().allMatch(f -> TERMINAL.contains(f.status()))
                    ? r
                    : null;
        });
        assertThat(runs.stream().map(Fired::version).toList())
                .as("no version gets two runs")
                .doesNotHaveDuplicates();
        for (Fired f : runs) {
            String expected = switch (f.version()) {
                case 2 -> "second\n";
                case 3 -> "third\n";
                default -> "fourth\n";
            };
            assertThat(Runs.logs(api, f.id(), "work", ""))
                    .as("run of version %d", f.version())
                    .isEqualTo(expected);
        }
        JsonNode view = api.get("/schedules/on-iris?project=sched-d").json();
        assertThat(view.get("lastDatasetVersion").asInt()).isEqualTo(4);
        assertThat(view.has("nextRunTimes")).isTrue();
    }

    private static void addVersion(String text) throws Exception {
        String sha = api.postRaw("/blobs", "application/octet-stream", (text + "\n").getBytes(), Map.of())
                .json()
                .get("sha256")
                .asText();
        Api.Answer a = api.post(
                "/datasets/iris/versions?project=sched-d",
                Map.of("files", List.of(Map.of("path", "rows.csv", "sha256", sha))));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndWritesNothing() {
        pipeline("sched-x", "known", "[\"true\"]");
        long before = temporalSchedules.listSchedules().count();
        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("cron", body("name", "b1", "project", "sched-x", "pipeline", "known", "cron", "61 * * * *"));
        bad.put("field count", body("name", "b2", "project", "sched-x", "pipeline", "known", "cron", "* * *"));
        bad.put(
                "time zone",
                body(
                        "name",
                        "b3",
                        "project",
                        "sched-x",
                        "pipeline",
                        "known",
                        "cron",
                        "0 3 * * *",
                        "timezone",
                        "Mars/Base"));
        bad.put("pipeline", body("name", "b4", "project", "sched-x", "pipeline", "unknown", "every", "1h"));
        bad.put(
                "two kinds",
                body("name", "b5", "project", "sched-x", "pipeline", "known", "every", "1h", "cron", "@daily"));
        bad.put(
                "overlap",
                body("name", "b6", "project", "sched-x", "pipeline", "known", "every", "1h", "overlap", "sometimes"));
        bad.put("every", body("name", "b7", "project", "sched-x", "pipeline", "known", "every", "soon"));
        bad.put(
                "parameters",
                body(
                        "name",
                        "b8",
                        "project",
                        "sched-x",
                        "pipeline",
                        "known",
                        "every",
                        "1h",
                        "parameters",
                        Map.of("nope", 1)));
        bad.put("dataset", body("name", "b9", "project", "sched-x", "pipeline", "known", "onDataset", "absent"));
        for (Map.Entry<String, Map<String, Object>> c : bad.entrySet()) {
            Api.Answer a = api.post("/schedules", c.getValue());
            assertThat(a.status()).as("%s: %s", c.getKey(), a.text()).isEqualTo(400);
            assertThat(a.json().get("message").asText()).as(c.getKey()).isNotBlank();
        }
        Api.Answer cron = api.post("/schedules", bad.get("cron"));
        assertThat(cron.json().get("message").asText()).contains("minute").contains("61");

        create(body(
                "name",
                "twice",
                "project",
                "sched-x",
                "pipeline",
                "known",
                "cron",
                "0 3 * * *",
                "timezone",
                "Europe/Berlin",
                "paused",
                true));
        Api.Answer again =
                api.post("/schedules", body("name", "twice", "project", "sched-x", "pipeline", "known", "every", "1h"));
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(api.get("/schedules?project=sched-x").json().get("items")).hasSize(1);
        assertThat(temporalSchedules.listSchedules().count())
                .as("one Temporal schedule more: the one created")
                .isLessThanOrEqualTo(before + 1);
        assertThat(api.get("/schedules/absent?project=sched-x").status()).isEqualTo(404);
        assertThat(api.get("/schedules/twice?project=nowhere").status()).isEqualTo(404);
        JsonNode twice = api.get("/schedules/twice?project=sched-x").json();
        assertThat(twice.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(Instant.parse(twice.get("nextRunTimes").get(0).asText())
                        .atZone(ZoneId.of("Europe/Berlin"))
                        .getHour())
                .isEqualTo(3);
        Api.Answer changed = api.send("PUT", "/schedules/twice?project=sched-x", Map.of("cron", "0 4 * * *"));
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.json().get("cron").asText()).isEqualTo("0 4 * * *");
        assertThat(changed.json().get("paused").asBoolean())
                .as("a change keeps the paused state")
                .isTrue();
        assertThat(Instant.parse(changed.json().get("nextRunTimes").get(0).asText())
                        .atZone(ZoneId.of("Europe/Berlin"))
                        .getHour())
                .isEqualTo(4);
        Api.Answer refused = api.send("PUT", "/schedules/twice?project=sched-x", Map.of("cron", "0 4 * *"));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(api.get("/schedules/twice?project=sched-x")
                        .json()
                        .get("cron")
                        .asText())
                .isEqualTo("0 4 * * *");
        assertThat(api.send("DELETE", "/schedules/twice?project=sched-x", null).status())
                .isEqualTo(204);
        assertThat(api.get("/schedules/twice?project=sched-x").status()).isEqualTo(404);
    }

    @Test
    void aFireWhoseOwnerLostWriteAccessRecordsNoRunAndSaysWhy() {
        pipeline("sched-w", "owned", "[\"true\"]");
        Api owner = api.user("sched-owner");
        api.grant("sched-w", "sched-owner", "editor");
        Api.Answer created = owner.post(
                "/schedules", body("name", "owned", "project", "sched-w", "pipeline", "owned", "every", "1h"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("createdBy").asText()).isEqualTo("sched-owner");
        assertThat(api.send("DELETE", "/projects/sched-w/members/sched-owner", null)
                        .status())
                .isEqualTo(204);

        Api.Answer fired = api.post("/schedules/owned/trigger?project=sched-w", null);
        assertThat(fired.status()).as(fired.text()).isEqualTo(409);
        assertThat(fired.json().get("message").asText()).contains("recorded no run");
        JsonNode view = api.get("/schedules/owned?project=sched-w").json();
        assertThat(view.get("lastProblem").get("message").asText()).isNotBlank();
        assertThat(view.get("recentRuns")).isEmpty();
        assertThat(api.send("DELETE", "/schedules/owned?project=sched-w", null).status())
                .isEqualTo(204);
    }
}
