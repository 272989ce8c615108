package io.baton.server.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.baton.common.Hashing;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.CacheQuery;
import io.baton.workflows.CacheResult;
import io.baton.workflows.RecordedStep;
import io.baton.workflows.StagedInput;
import io.baton.workflows.StepOutcome;
import io.baton.workflows.StepStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A successful attempt whose report ends its step ({@code endsStep}): the step's end is written as the workflow would
 * have written it, a later attempt of the step runs nothing, and bad reports are refused with nothing written.
 */
class StepEndedByAttemptTest {
    private static final String STEP = "train";
    private Jdbi jdbi;
    private FolderBlobStore blobs;
    private AttemptRecorder recorder;
    private StepEnds stepEnds;

    private void open(String url, String user, String password) throws IOException {
        jdbi = BothDatabases.migrated(url, user, password);
        blobs = new FolderBlobStore(Files.createTempDirectory("blobs"));
        recorder = new AttemptRecorder(jdbi, blobs);
        stepEnds = new StepEnds(jdbi, new ModelRegistry(jdbi));
    }

    /** A RUNNING run of {@link #STEP}, whose attempt 1 has started. */
    private String runWithFirstAttempt() {
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, STEP);
        recorder.attemptStarted(runId, STEP, new AttemptStart(1, "w1"));
        return runId;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void theAttemptsReportEndsTheStepWithItsOutputsInputsAndCacheKey(
            String name, String url, String user, String password) throws Exception {
        open(url, user, password);
        ArtifactRef model = store(blobs, "model.pkl", "weights");
        ArtifactRef data = store(blobs, "train.npz", "arrays");
        StagedInput input = new StagedInput("data", null, data.path(), data.sha256(), data.size(), "step:prepare");
        // a file name a glob would read otherwise: inputs are files, as datasets keep them
        StagedInput image =
                new StagedInput("images", null, "imgs/cat[1.jpg", data.sha256(), data.size(), "dataset:pets/1");
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "prepare", STEP);
        String keyBase = UUID.randomUUID().toString();
        CacheResult miss = stepEnds.findCached(new CacheQuery(runId, STEP, keyBase, List.of(input, image)));
        assertThat(miss.hit()).isFalse();

        recorder.attemptStarted(runId, STEP, new AttemptStart(1, "w1"));
        AttemptFinish success =
                new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of(model), true, List.of(input, image));
        recorder.attemptFinished(runId, STEP, 1, success);
        recorder.attemptFinished(runId, STEP, 1, success); // a retried report

        StepRow step = jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow();
        assertThat(step.status()).isEqualTo("SUCCEEDED");
        assertThat(step.exitCode()).isZero();
        assertThat(step.finishedAt()).isNotNull();
        assertThat(Json.read(step.outputs(), ArtifactRef[].class)).containsExactly(model);
        assertThat(inputRows(jdbi, runId)).isEqualTo(2);
        assertThat(jdbi.onDemand(StepDao.class)
                        .find(runId, "prepare")
                        .orElseThrow()
                        .status())
                .as("only the attempt's own step")
                .isEqualTo("RUNNING");

        // the key stored at the cache miss stays with the step: the next run with the same key reuses its outputs
        String next = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, next, STEP);
        CacheResult hit = stepEnds.findCached(new CacheQuery(next, STEP, keyBase, List.of(input, image)));
        assertThat(hit.hit()).isTrue();
        assertThat(hit.outputs()).containsExactly(model);
        assertThat(hit.key()).isEqualTo(miss.key());

        // Temporal never heard of the success (the worker died): the next attempt is told, and records nothing
        AttemptStarted again = recorder.attemptStarted(runId, STEP, new AttemptStart(2, "w2"));
        assertThat(again.stepSucceeded()).isTrue();
        assertThat(again.outputs()).containsExactly(model);
        assertThat(attemptNumbers(jdbi, runId)).containsExactly(1);

        // ... or no attempt was left: the workflow reports the step FAILED, and is told it had succeeded
        RecordedStep recorded = stepEnds.stepFinished(new StepOutcome(
                runId,
                STEP,
                StepStatus.FAILED,
                null,
                "its worker stopped heartbeating and the step's attempts are spent"));
        assertThat(recorded).isEqualTo(new RecordedStep(StepStatus.SUCCEEDED, List.of(model)));
        assertThat(jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow().status())
                .isEqualTo("SUCCEEDED");
        assertThat(stepEnds.stepFinished(new StepOutcome(runId, "prepare", StepStatus.FAILED, 1, "exited 1")))
                .as("a step that had not ended is recorded as asked")
                .isEqualTo(new RecordedStep(StepStatus.FAILED, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aLateSuccessOfAnAttemptClosedAsLostDoesNotEndTheStep(String name, String url, String user, String password)
            throws Exception {
        open(url, user, password);
        ArtifactRef stale = store(blobs, "model.pkl", "stale weights");
        ArtifactRef fresh = store(blobs, "model.pkl", "fresh weights");
        String runId = runWithFirstAttempt();
        recorder.attemptStarted(runId, STEP, new AttemptStart(2, "w2")); // attempt 1's worker stopped heartbeating

        // attempt 1's worker comes back and reports its success: Temporal has moved on to attempt 2
        recorder.attemptFinished(
                runId, STEP, 1, new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of(stale), true, List.of()));
        assertThat(jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow().status())
                .isEqualTo("RUNNING");

        recorder.attemptFinished(
                runId, STEP, 2, new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of(fresh), true, List.of()));
        StepRow step = jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow();
        assertThat(step.status()).isEqualTo("SUCCEEDED");
        assertThat(Json.read(step.outputs(), ArtifactRef[].class)).containsExactly(fresh);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aStartRacingTheSuccessThatEndsTheStepRunsNothing(String name, String url, String user, String password)
            throws Exception {
        // attempt 1's worker, cut off from Temporal, reports its success while attempt 2 starts: the start reads the
        // step before the success commits, then waits on attempt 1's row, then must see the step ended
        assumeTrue(name.equals("mariadb"), "row locks and a lock wait to observe: MariaDB");
        open(url, user, password);
        ArtifactRef model = store(blobs, "model.pkl", "weights");
        String runId = runWithFirstAttempt();
        ExecutorService second = Executors.newSingleThreadExecutor();
        try (Handle success = jdbi.open()) {
            success.begin();
            success.createUpdate("UPDATE attempts SET status = 'SUCCEEDED', exit_code = 0 WHERE run_id = :run"
                            + " AND number = 1")
                    .bind("run", runId)
                    .execute();
            success.createUpdate("UPDATE steps SET status = 'SUCCEEDED', outputs = :outputs WHERE run_id = :run")
                    .bind("run", runId)
                    .bind("outputs", Json.write(List.of(model)))
                    .execute();

            Future<AttemptStarted> started =
                    second.submit(() -> recorder.attemptStarted(runId, STEP, new AttemptStart(2, "w2")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!started.isDone() && lockWaits(jdbi) == 0) {
                assertThat(System.nanoTime())
                        .as("attempt 2's start waits on attempt 1's row")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(started.isDone())
                    .as("attempt 2's start must wait for attempt 1's report")
                    .isFalse();
            success.commit();

            AttemptStarted answer = started.get(20, TimeUnit.SECONDS);
            assertThat(answer.stepSucceeded()).isTrue();
            assertThat(answer.outputs()).containsExactly(model);
        } finally {
            second.shutdownNow();
        }
        assertThat(attemptNumbers(jdbi, runId)).containsExactly(1);
    }

    /** Statements of this user's sessions now closing earlier attempts as LOST (blocked: the row is locked). */
    private static int lockWaits(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                        + " WHERE INFO LIKE 'UPDATE attempts SET status = ''LOST''%'")
                .mapTo(Integer.class)
                .one());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void badReportsAreRefusedAndWriteNothing(String name, String url, String user, String password) throws Exception {
        open(url, user, password);
        ArtifactRef data = store(blobs, "train.npz", "arrays");
        String runId = runWithFirstAttempt();

        assertRefused(
                recorder,
                runId,
                new AttemptFinish(AttemptStatus.FAILED, 1, "exit 1", List.of(), true, List.of()),
                "'endsStep' is only for a SUCCEEDED attempt");
        String otherSha = "ab".repeat(32);
        List<List<Object>> bad = List.of(
                List.of(new StagedInput(" ", null, "a", data.sha256(), 1, null), "needs a 'name'"),
                List.of(new StagedInput("data", null, "../etc/passwd", data.sha256(), 1, null), "'..' segment"),
                List.of(new StagedInput("data", null, "/etc/passwd", data.sha256(), 1, null), "must be relative"),
                List.of(new StagedInput("data", null, "a", "XYZ", 1, null), "64 lowercase hex digits"),
                List.of(new StagedInput("data", null, "a", data.sha256(), -1, null), "a 'size' of 0 or more"),
                List.of(new StagedInput("data", "", "a", data.sha256(), 1, null), "'producer' must be 1 to 255"),
                List.of(new StagedInput("data", null, "a", data.sha256(), 1, "x".repeat(401)), "longer than 400"),
                List.of(new StagedInput("data", null, "a", otherSha, 1, null), "which is not stored"));
        for (List<Object> input : bad) {
            assertRefused(
                    recorder,
                    runId,
                    new AttemptFinish(
                            AttemptStatus.SUCCEEDED, 0, null, List.of(), true, List.of((StagedInput) input.get(0))),
                    (String) input.get(1));
        }
        StagedInput twice = new StagedInput("data", null, "a", data.sha256(), 1, null);
        assertRefused(
                recorder,
                runId,
                new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of(), true, List.of(twice, twice)),
                "gives 'a' twice");

        assertThat(jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow().status())
                .isEqualTo("RUNNING");
        assertThat(inputRows(jdbi, runId)).isZero();
        String attempt = jdbi.withHandle(h -> h.createQuery("SELECT status FROM attempts WHERE run_id = :run")
                .bind("run", runId)
                .mapTo(String.class)
                .one());
        assertThat(attempt).isEqualTo("RUNNING");

        // without endsStep, a success is the attempt's alone: the workflow records the step
        recorder.attemptFinished(runId, STEP, 1, new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of()));
        assertThat(jdbi.onDemand(StepDao.class).find(runId, STEP).orElseThrow().status())
                .isEqualTo("RUNNING");
    }

    private static void assertRefused(AttemptRecorder recorder, String runId, AttemptFinish finish, String message) {
        assertThatThrownBy(() -> recorder.attemptFinished(runId, STEP, 1, finish))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(message);
    }

    private static ArtifactRef store(FolderBlobStore blobs, String path, String content) throws Exception {
        Path temp = blobs.newTempFile();
        Files.writeString(temp, content);
        String sha = Hashing.sha256(temp);
        blobs.adopt(temp, sha);
        return new ArtifactRef(path, sha, content.length());
    }

    private static int inputRows(Jdbi jdbi, String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM step_inputs WHERE run_id = :run")
                .bind("run", runId)
                .mapTo(Integer.class)
                .one());
    }

    private static List<Integer> attemptNumbers(Jdbi jdbi, String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT number FROM attempts WHERE run_id = :run ORDER BY number")
                .bind("run", runId)
                .mapTo(Integer.class)
                .list());
    }
}
