package io.baton.server.testing;

import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The two databases Baton runs on, for parameterized tests ({@code @MethodSource(BothDatabases.SOURCE)}, arguments
 * name, url, user, password): a fresh in-memory H2 in MySQL mode (local mode's database) and one MariaDB database
 * shared by every such test of this JVM, dropped when the JVM ends.
 */
public final class BothDatabases {
    public static final String SOURCE = "io.baton.server.testing.BothDatabases#arguments";
    private static TestDatabase mariadb;

    private BothDatabases() {}

    /** A database of {@link #arguments}, migrated, with JDBI's SQL objects. */
    public static Jdbi migrated(String url, String user, String password) {
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
    }

    /** The server's recorder on {@code jdbi}, its blobs in a fresh temporary folder. */
    public static AttemptRecorder recorder(Jdbi jdbi) throws IOException {
        return new AttemptRecorder(jdbi, new FolderBlobStore(Files.createTempDirectory("blobs")));
    }

    /** A RUNNING run (with a plan of no steps) and its RUNNING steps, as a workflow leaves them while it runs. */
    public static void insertRunningRun(Jdbi jdbi, String runId, String... steps) {
        insertRun(jdbi, runId, "RUNNING", "{\"runId\": \"" + runId + "\", \"steps\": []}", "RUNNING", steps);
    }

    /** A new QUEUED run with one PENDING step, {@code train}, as a submission leaves it; its id. */
    public static String insertQueuedRun(Jdbi jdbi) {
        String runId = UUID.randomUUID().toString();
        insertRun(jdbi, runId, "QUEUED", "{}", "PENDING", "train");
        return runId;
    }

    /** A run's row as a submission writes it, pipeline {@code pipe} by {@code alice}. */
    public static RunRow runRow(String runId, String project, String status, String plan, long createdAt) {
        return new RunRow(
                runId,
                project,
                "pipe",
                null,
                status,
                "run-" + runId,
                null,
                "name: pipe",
                "0".repeat(64),
                "{}",
                plan,
                3,
                "alice",
                createdAt,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static void insertRun(
            Jdbi jdbi, String runId, String status, String plan, String stepStatus, String... steps) {
        jdbi.useTransaction(h -> {
            h.attach(RunDao.class).insert(runRow(runId, "p", status, plan, 0L));
            h.attach(StepDao.class)
                    .insertAll(IntStream.range(0, steps.length)
                            .mapToObj(i -> new StepRow(
                                    runId, steps[i], i, "cpu", stepStatus, null, null, null, null, null, null, null))
                            .toList());
        });
    }

    public static synchronized Stream<Arguments> arguments() throws Exception {
        if (mariadb == null) {
            mariadb = TestDatabase.create();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    mariadb.owner().close();
                } catch (Exception e) {
                    System.err.println("could not drop the test database: " + e);
                }
            }));
        }
        String h2 = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        return Stream.of(
                Arguments.of("h2", h2, "sa", ""),
                Arguments.of("mariadb", mariadb.url(), mariadb.user(), mariadb.password()));
    }
}
