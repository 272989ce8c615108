package io.baton.server.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.AttemptHardware;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.db.QuotaDao;
import io.baton.server.db.QuotaRow;
import io.baton.server.testing.BothDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempt starts under quotas, on both databases: over a cap an attempt waits (nothing recorded), and starts that
 * race on two servers (two connection pools on one database) never both take the last unit.
 */
class QuotaAdmissionTest {
    private static final List<String> STEPS = List.of("s1", "s2", "s3", "s4");

    /** A running run of {@code user} in {@code project} (names of each test's own: the database is shared). */
    private static String run(Jdbi jdbi, String user, String project) {
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, STEPS.toArray(String[]::new));
        jdbi.useHandle(
                h -> h.execute("UPDATE runs SET created_by = ?, project = ? WHERE id = ?", user, project, runId));
        return runId;
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void quota(Jdbi jdbi, String kind, String name, Integer steps, Integer gpus) {
        jdbi.useExtension(QuotaDao.class, dao -> {
            dao.delete(kind, name);
            dao.insert(new QuotaRow(kind, name, steps, gpus, null, "admin", 0L));
        });
    }

    private static AttemptStart start(String worker, int gpus) {
        List<Integer> given = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            given.add(i);
        }
        return new AttemptStart(1, worker, null, new AttemptHardware(worker, "cpu", 4, 1L << 30, List.of(), given));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void anAttemptOverItsUsersCapWaitsUntilARunningOneEnds(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        String alice = unique("alice");
        String runId = run(jdbi, alice, unique("p"));
        quota(jdbi, QuotaRow.USER, alice, null, 1);

        assertThat(recorder.attemptStarted(runId, "s1", start("w1", 1)).waiting())
                .isNull();
        AttemptStarted second = recorder.attemptStarted(runId, "s2", start("w1", 1));
        assertThat(second.waiting()).isEqualTo("waiting: user " + alice + " runs 1 of 1 GPU allowed");
        assertThat(recorder.attemptStarted(runId, "s3", start("w1", 0)).waiting())
                .as("a step without GPUs is not held by a GPU cap")
                .isNull();
        assertThat(recorder.attemptStarted(runId, "s1", start("w1", 1)).waiting())
                .as("a start reported again counts its own attempt as its own")
                .isNull();

        jdbi.useHandle(
                h -> h.execute("UPDATE attempts SET status = 'SUCCEEDED' WHERE run_id = ? AND step = 's1'", runId));
        assertThat(recorder.attemptStarted(runId, "s2", start("w1", 1)).waiting())
                .isNull();
        int held = jdbi.withHandle(
                h -> h.createQuery("SELECT gpus FROM attempts WHERE run_id = :r AND step = 's2' AND number = 1")
                        .bind("r", runId)
                        .mapTo(Integer.class)
                        .one());
        assertThat(held).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void startsRacingOnTwoServersNeverBothTakeTheLastStep(String name, String url, String user, String password)
            throws Exception {
        Jdbi one = BothDatabases.migrated(url, user, password);
        Jdbi two = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
        List<AttemptRecorder> servers = List.of(BothDatabases.recorder(one), BothDatabases.recorder(two));
        String project = unique("p");
        quota(one, QuotaRow.PROJECT, project, 1, null);
        ExecutorService pool = Executors.newFixedThreadPool(STEPS.size());
        try {
            for (int round = 0; round < 10; round++) {
                String runId = run(one, unique("user"), project);
                CyclicBarrier together = new CyclicBarrier(STEPS.size());
                List<Future<AttemptStarted>> answers = new ArrayList<>();
                for (int i = 0; i < STEPS.size(); i++) {
                    AttemptRecorder server = servers.get(i % 2);
                    String step = STEPS.get(i);
                    answers.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return server.attemptStarted(runId, step, start("w" + step, 0));
                    }));
                }
                int started = 0;
                for (Future<AttemptStarted> answer : answers) {
                    AttemptStarted a = answer.get(30, TimeUnit.SECONDS);
                    if (a.waiting() == null) {
                        started++;
                    } else {
                        assertThat(a.waiting()).isEqualTo("waiting: project " + project + " runs 1 of 1 step allowed");
                    }
                }
                assertThat(started).as("round " + round).isEqualTo(1);
                one.useHandle(h -> h.execute("UPDATE attempts SET status = 'SUCCEEDED' WHERE run_id = ?", runId));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reasonsSayWhoRunsHowMuchOfWhat() {
        QuotaRow bob = new QuotaRow(QuotaRow.USER, "bob", 2, 4, null, "admin", 0L);
        assertThat(QuotaAdmission.reason(bob, new QuotaDao.Usage(1, 3), 1)).isNull();
        assertThat(QuotaAdmission.reason(bob, new QuotaDao.Usage(2, 0), 0))
                .isEqualTo("waiting: user bob runs 2 of 2 steps allowed");
        assertThat(QuotaAdmission.reason(bob, new QuotaDao.Usage(1, 3), 2))
                .isEqualTo("waiting: user bob runs 3 of 4 GPUs allowed");
        assertThat(QuotaAdmission.reason(bob, new QuotaDao.Usage(0, 0), 5))
                .startsWith("waiting: the step needs 5 GPUs, more than the 4 user bob is allowed");
    }
}
