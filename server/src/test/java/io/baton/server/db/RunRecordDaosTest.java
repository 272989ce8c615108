package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.testing.BothDatabases;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The queries that attempt reports, approvals and run records make, against H2 and MariaDB. */
class RunRecordDaosTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void readsAStepWithItsRunAndWhetherAnAttemptWasReported(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = BothDatabases.insertQueuedRun(jdbi);
        StepDao steps = jdbi.onDemand(StepDao.class);

        assertThat(steps.state(runId, "train", 1)).contains(new StepStateRow("QUEUED", "PENDING", null, 0));
        assertThat(steps.state(runId, "nope", 1)).isEmpty();
        assertThat(jdbi.onDemand(RunDao.class).status(runId)).contains("QUEUED");
        assertThat(jdbi.onDemand(RunDao.class).status("no-such-run")).isEmpty();
        assertThat(jdbi.onDemand(RunDao.class).count(runId)).isEqualTo(1);
        assertThat(jdbi.onDemand(RunDao.class).count("no-such-run")).isZero();

        AttemptDao attempts = jdbi.onDemand(AttemptDao.class);
        attempts.insert(runId, "train", 1, "w1", 10L, null, null);
        attempts.addLogBytes(runId, "train", 1, 42);
        assertThat(steps.state(runId, "train", 1).orElseThrow().attemptReported())
                .isTrue();
        assertThat(steps.state(runId, "train", 2).orElseThrow().attemptReported())
                .isFalse();
        assertThat(attempts.logBytes(runId, "train", 1)).isEqualTo(42);
        assertThat(attempts.runStatus(runId, "train", 1)).contains("QUEUED");
        assertThat(attempts.runStatus(runId, "train", 2)).isEmpty();

        // outputs are read only once the step succeeded
        jdbi.useTransaction(h -> assertThat(h.attach(StepDao.class).succeededOutputsLocked(runId, "train"))
                .isEmpty());
        steps.finish(runId, "train", "SUCCEEDED", 0, null, 20L, "[]", null, null);
        jdbi.useTransaction(h -> assertThat(h.attach(StepDao.class).succeededOutputsLocked(runId, "train"))
                .contains("[]"));
        assertThat(steps.state(runId, "train", 1).orElseThrow().outputs()).isEqualTo("[]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void decidesAStepOnce(String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = BothDatabases.insertQueuedRun(jdbi);
        ApprovalDao approvals = jdbi.onDemand(ApprovalDao.class);
        assertThat(approvals.find(runId, "train")).isEmpty();

        approvals.insert(runId, "train", true, "alice", "u-alice", "looks good", 5L);

        ApprovalRow decided = new ApprovalRow(runId, "train", true, "alice", "looks good", 5L);
        assertThat(approvals.find(runId, "train")).contains(decided);
        assertThat(approvals.ofRuns(List.of(runId, "other"))).containsExactly(decided);
        assertThatThrownBy(() -> approvals.insert(runId, "train", false, "bob", "u-bob", null, 6L))
                .isInstanceOf(UnableToExecuteStatementException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void keepsTheInputsOfAStepAndTheParametersOfARun(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = BothDatabases.insertQueuedRun(jdbi);
        StepInputDao inputs = jdbi.onDemand(StepInputDao.class);
        StepInputRow fromOutside =
                new StepInputRow(runId, "train", "data", "", "x.csv", "1".repeat(64), "a".repeat(64), 3, "sha256:a");
        StepInputRow fromStep = new StepInputRow(
                runId, "train", "data", "prep", "y.csv", "2".repeat(64), "b".repeat(64), 4, "step prep");
        assertThat(inputs.count(runId, "train")).isZero();

        inputs.insertAll(List.of(fromStep, fromOutside));

        assertThat(inputs.count(runId, "train")).isEqualTo(2);
        assertThat(inputs.ofRun(runId)).containsExactly(fromOutside, fromStep);

        jdbi.onDemand(RunParameterDao.class)
                .insertAll(
                        runId, List.of(new RunParameterRow("lr", 0.1, "0.1"), new RunParameterRow("note", null, null)));
        int withoutNumber = jdbi.withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM run_parameters WHERE run_id = :run AND value_number IS NULL")
                        .bind("run", runId)
                        .mapTo(Integer.class)
                        .one());
        assertThat(withoutNumber).isEqualTo(1);
    }
}
