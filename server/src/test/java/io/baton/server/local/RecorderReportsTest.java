package io.baton.server.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.server.testing.BothDatabases;
import io.baton.worker.client.ServerClient;
import io.baton.workflows.AttemptStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-process worker's reports: the recorder's refusals keep their HTTP status, as a worker of its own sees. */
class RecorderReportsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void refusalsKeepTheirStatusAndChangeNothing(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train");
        RecorderReports reports = new RecorderReports(BothDatabases.recorder(jdbi), Duration.ofSeconds(5));

        assertThat(reports.attemptStarted(runId, "train", new AttemptStart(1, "local"))
                        .failures())
                .isZero();
        reports.appendLogs(runId, "train", 1, new LogBatch(0, "{\"loss\": 0.5}\n", Map.of()));

        // a bad report: 400, as over HTTP (a refused log batch is dropped by the shipper on a 4xx)
        assertThatThrownBy(() -> reports.appendLogs(runId, "train", 1, new LogBatch(-1, "x\n", Map.of())))
                .isInstanceOfSatisfying(
                        ServerClient.ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
        // an attempt that does not exist: 404
        assertThatThrownBy(() -> reports.appendLogs(runId, "train", 7, new LogBatch(0, "x\n", Map.of())))
                .isInstanceOfSatisfying(
                        ServerClient.ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(404));

        reports.attemptFinished(runId, "train", 1, new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, List.of()));
        jdbi.useHandle(h -> h.execute("UPDATE runs SET status = 'SUCCEEDED' WHERE id = ?", runId));
        // the run has ended: its record takes no more, 409
        assertThatThrownBy(() -> reports.appendLogs(runId, "train", 1, new LogBatch(1, "late\n", Map.of())))
                .isInstanceOfSatisfying(
                        ServerClient.ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> reports.attemptStarted(runId, "train", new AttemptStart(2, "local")))
                .isInstanceOfSatisfying(
                        ServerClient.ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(409));
        assertThat(count(jdbi, "log_chunks", runId)).isEqualTo(1);
        assertThat(count(jdbi, "attempts", runId)).isEqualTo(1);
    }

    private static int count(Jdbi jdbi, String table, String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE run_id = :run")
                .bind("run", runId)
                .mapTo(Integer.class)
                .one());
    }

    @org.junit.jupiter.api.Test
    void aDatabaseThatStaysAwayIsTriedAgainUntilPatienceEndsThenTheReportFailsAsUnavailable() throws Exception {
        Jdbi away = Jdbi.create("jdbc:h2:mem:baton-away-" + UUID.randomUUID() + ";IFEXISTS=TRUE");
        RecorderReports reports = new RecorderReports(BothDatabases.recorder(away), Duration.ofMillis(700));
        long started = System.nanoTime();
        assertThatThrownBy(() -> reports.attemptStarted("r", "train", new AttemptStart(1, "local")))
                .isInstanceOfSatisfying(
                        ServerClient.ServerException.class,
                        e -> assertThat(e.status()).isEqualTo(503));
        // tried more than once: the pauses (200 ms, 400 ms, ...) outlast the patience before it gives up
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
}
