package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.server.testing.BothDatabases;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Schedules' rows and their runs (V17) on H2 and MariaDB. */
class ScheduleDaoTest {
    private static ScheduleRow row(String id, String project, String name, String dataset) {
        return new ScheduleRow(
                id,
                project,
                name,
                "pipe",
                null,
                null,
                "{}",
                null,
                dataset == null ? "1h" : null,
                dataset,
                null,
                null,
                "skip",
                null,
                null,
                "alice",
                null,
                1L,
                1L,
                null,
                null,
                null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void namesAreUniquePerProjectAndDatasetProgressNeverGoesBack(String name, String url, String user, String pw) {
        Jdbi jdbi = BothDatabases.migrated(url, user, pw);
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        String project = "p" + UUID.randomUUID().toString().substring(0, 8);
        dao.insert(row(UUID.randomUUID().toString(), project, "nightly", null));
        dao.insert(row(UUID.randomUUID().toString(), project + "b", "nightly", null)); // another project: fine
        assertThatThrownBy(() -> dao.insert(row(UUID.randomUUID().toString(), project, "nightly", null)))
                .isInstanceOf(UnableToExecuteStatementException.class);

        String trigger = UUID.randomUUID().toString();
        dao.insert(row(trigger, project, "on-iris", project + "/iris"));
        assertThat(dao.onDataset(project + "/iris")).extracting(ScheduleRow::id).containsExactly(trigger);
        assertThat(dao.datasetVersionHandled(trigger, 4)).isEqualTo(1);
        assertThat(dao.datasetVersionHandled(trigger, 3)).as("never back").isZero();
        assertThat(dao.find(trigger).orElseThrow().lastDatasetVersion()).isEqualTo(4);
        dao.problem(trigger, "the owner lost write access", 5L);
        assertThat(dao.find(trigger).orElseThrow().lastProblem()).isEqualTo("the owner lost write access");
        assertThat(dao.ofProjects(List.of(project))).hasSize(2);
        assertThat(dao.delete(trigger)).isEqualTo(1);
        assertThat(dao.find(trigger)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aScheduleRunIsListedWithItsTriggerAndLeftToItsActionWhileYoung(
            String name, String url, String user, String pw) {
        Jdbi jdbi = BothDatabases.migrated(url, user, pw);
        String scheduled = BothDatabases.insertQueuedRun(jdbi);
        String submitted = BothDatabases.insertQueuedRun(jdbi);
        String scheduleId = UUID.randomUUID().toString();
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        String trigger = "{\"kind\":\"schedule\",\"schedule\":\"nightly\",\"scheduledAt\":\"2026-12-07T03:00:00Z\"}";
        assertThat(dao.markScheduled(scheduled, scheduleId, trigger)).isEqualTo(1);

        assertThat(dao.recentRuns(scheduleId, 10))
                .containsExactly(new ScheduleDao.ScheduledRun(scheduled, trigger, "QUEUED"));
        assertThat(dao.triggerInfo(scheduled)).isEqualTo(trigger);
        assertThat(dao.triggerInfo(submitted)).isNull();
        RunDao runs = jdbi.onDemand(RunDao.class);
        // created at 0: older than any cutoff after it, younger than one before it
        assertThat(runs.queuedUnowned(-1).stream().map(RunRow::id))
                .contains(submitted)
                .doesNotContain(scheduled);
        assertThat(runs.queuedUnowned(1).stream().map(RunRow::id)).contains(submitted, scheduled);
    }
}
