package io.baton.server.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptWaiting;
import io.baton.server.api.RunView;
import io.baton.server.api.StepView;
import io.baton.server.core.BatonException;
import io.baton.server.runs.RunQueries;
import io.baton.server.testing.BothDatabases;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step that a worker took but cannot start yet says why until its attempt starts, and a run whose first attempt
 * started is never shown QUEUED (its row is read before its steps, each in a snapshot of its own).
 */
class StepWaitingForRoomTest {
    private static final String STEP = "train";
    private static final String REASON = "waiting for room on worker w1: 2 of 2 slots in use";

    /** A run as recorded at submission: QUEUED, its step PENDING. */
    private static String queuedRun(Jdbi jdbi) {
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, STEP);
        jdbi.useHandle(h -> {
            h.execute("UPDATE runs SET status = 'QUEUED', started_at = NULL WHERE id = ?", runId);
            h.execute("UPDATE steps SET status = 'PENDING' WHERE run_id = ?", runId);
        });
        return runId;
    }

    private static StepView step(RunView run) {
        return run.steps().get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aPendingStepShowsItsWorkersReasonUntilItsAttemptStarts(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        RunQueries views = new RunQueries(jdbi, null, "default");
        String runId = queuedRun(jdbi);

        recorder.attemptWaiting(runId, STEP, 1, new AttemptWaiting("w1", REASON));
        assertThat(step(views.run(runId)).status()).isEqualTo("PENDING");
        assertThat(step(views.run(runId)).reason()).isEqualTo(REASON);
        assertThat(views.run(runId).status()).isEqualTo("QUEUED"); // no attempt has started

        recorder.attemptStarted(runId, STEP, new AttemptStart(1, "w1"));
        recorder.attemptWaiting(runId, STEP, 1, new AttemptWaiting("w1", REASON)); // late: changes nothing
        assertThat(step(views.run(runId)).status()).isEqualTo("RUNNING");
        assertThat(step(views.run(runId)).reason()).isNull();
        assertThat(views.run(runId).status()).isEqualTo("RUNNING");

        assertThatThrownBy(() -> recorder.attemptWaiting(runId, STEP, 2, new AttemptWaiting("w1", " ")))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> recorder.attemptWaiting(runId, "nope", 1, new AttemptWaiting("w1", REASON)))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aRunWhoseFirstAttemptStartedIsShownRunningEvenWhenItsRowWasReadBefore(
            String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        String runId = queuedRun(jdbi);
        recorder.attemptStarted(runId, STEP, new AttemptStart(1, "w1"));
        // the row as a view read it a moment before the attempt's start committed
        jdbi.useHandle(h -> h.execute("UPDATE runs SET status = 'QUEUED', started_at = NULL WHERE id = ?", runId));

        RunView run = new RunQueries(jdbi, null, "default").run(runId);
        assertThat(step(run).status()).isEqualTo("RUNNING");
        assertThat(run.status()).isEqualTo("RUNNING");
        assertThat(run.startedAt()).isNotNull();
    }
}
