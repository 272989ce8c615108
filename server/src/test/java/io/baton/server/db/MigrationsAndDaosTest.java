package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.Hashing;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.attempts.StepEnds;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.runs.RunQueries;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.RunOutcome;
import io.baton.workflows.RunStatus;
import io.baton.workflows.StepOutcome;
import io.baton.workflows.StepStatus;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same migrations and DAOs on H2 (MySQL mode, local mode's database) and on MariaDB. */
class MigrationsAndDaosTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void migrationsApplyAndRecordersWriteEachReportOnce(String name, String url, String user, String password)
            throws Exception {
        var result = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        assertThat(result.success).isTrue();
        Jdbi jdbi = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
        String runId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            h.attach(RunDao.class)
                    .insert(BothDatabases.runRow(
                            runId, "p", "QUEUED", "{\"runId\": \"" + runId + "\", \"steps\": []}", now));
            h.attach(StepDao.class)
                    .insertAll(List.of(new StepRow(
                            runId, "train[lr=0.1]", 0, "cpu", "PENDING", null, null, null, null, null, null, null)));
        });
        FolderBlobStore blobs = new FolderBlobStore(Files.createTempDirectory("blobs"));
        Path temp = blobs.newTempFile();
        Files.writeString(temp, "model");
        String modelSha = Hashing.sha256(temp);
        blobs.adopt(temp, modelSha);
        AttemptRecorder recorder = new AttemptRecorder(jdbi, blobs);
        StepEnds stepEnds = new StepEnds(jdbi, new ModelRegistry(jdbi));
        String step = "train[lr=0.1]";

        recorder.attemptStarted(runId, step, new AttemptStart(1, "w1"));
        recorder.attemptStarted(runId, step, new AttemptStart(1, "w1")); // a retried report
        LogBatch batch =
                new LogBatch(0, "épοch 1\n{\"loss\": 0.5}\n", Map.of("loss", "[[0,0.5," + now + ",{\"epoch\":1}]]"));
        recorder.appendLogs(runId, step, 1, batch);
        recorder.appendLogs(runId, step, 1, batch); // sent again after a lost answer
        recorder.appendLogs(runId, step, 1, new LogBatch(1, "done\n", Map.of()));
        AttemptFinish finish = new AttemptFinish(
                AttemptStatus.FAILED, 2, "exit 2", List.of(new ArtifactRef("models/m.bin", modelSha, 5)));
        recorder.attemptFinished(runId, step, 1, finish);
        recorder.attemptFinished(runId, step, 1, finish); // a retried report
        var second = recorder.attemptStarted(runId, step, new AttemptStart(2, "w2"));
        stepEnds.stepFinished(new StepOutcome(runId, step, StepStatus.SUCCEEDED, 0, null));
        stepEnds.runFinished(new RunOutcome(runId, RunStatus.SUCCEEDED, null));
        stepEnds.runFinished(new RunOutcome(runId, RunStatus.FAILED, "late")); // terminal states never change

        assertThat(second.failures()).isEqualTo(1);
        assertThat(jdbi.onDemand(ArtifactDao.class).ofRun(runId))
                .singleElement()
                .satisfies(a -> assertThat(a.path()).isEqualTo("models/m.bin"));
        RunRow run = jdbi.onDemand(RunDao.class).find(runId).orElseThrow();
        assertThat(run.status()).isEqualTo("SUCCEEDED");
        assertThat(run.startedAt()).isNotNull();
        List<AttemptRow> attempts = jdbi.onDemand(AttemptDao.class).ofRuns(List.of(runId));
        assertThat(attempts)
                .extracting(AttemptRow::number, AttemptRow::status, AttemptRow::exitCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "FAILED", 2),
                        org.assertj.core.groups.Tuple.tuple(2, "LOST", null));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        jdbi.onDemand(LogDao.class).from(runId, step, 1, 0, 100).forEach(c -> log.writeBytes(c.content()));
        assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("épοch 1\n{\"loss\": 0.5}\ndone\n");
        assertThat(jdbi.onDemand(LogDao.class).from(runId, step, 1, 9, 100)).hasSize(2);
        List<String> chunks = jdbi.withHandle(
                h -> h.createQuery("SELECT points FROM metric_chunks WHERE run_id = :id" + " AND name = 'loss'")
                        .bind("id", runId)
                        .mapTo(String.class)
                        .list());
        assertThat(chunks)
                .singleElement()
                .satisfies(points -> assertThat(points).startsWith("[[0,0.5,"));
        var series = new RunQueries(jdbi, "", "default").metrics(runId).series();
        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("loss");
            assertThat(s.points()).singleElement().satisfies(p -> {
                assertThat(p.value()).isEqualTo(0.5);
                assertThat(p.x()).containsEntry("epoch", 1);
            });
        });
        long lastMetricTime = jdbi.withHandle(h -> h.createQuery(
                        "SELECT m.time_ms FROM runs r JOIN run_metrics m" + " ON m.run_id = r.id WHERE r.id = :id")
                .bind("id", runId)
                .mapTo(Long.class)
                .one());
        assertThat(lastMetricTime).isEqualTo(now);
    }
}
