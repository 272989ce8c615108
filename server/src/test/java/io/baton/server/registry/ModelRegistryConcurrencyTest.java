package io.baton.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.Hashing;
import io.baton.server.api.AliasMoveView;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionView;
import io.baton.server.auth.Caller;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Versions and alias moves of one model, made by many threads at once, on H2 and on MariaDB. */
class ModelRegistryConcurrencyTest {
    private static final Caller ALICE = new Caller("t1", "alice", Caller.USER, false);

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void concurrentRegistrationsGetConsecutiveVersionsAndEveryAliasMoveIsKeptInOrder(
            String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        ModelRegistry models = new ModelRegistry(jdbi);
        String runId = UUID.randomUUID().toString();
        RunRow run = BothDatabases.runRow(runId, "tests", "RUNNING", "{}", System.currentTimeMillis());
        jdbi.useExtension(RunDao.class, dao -> dao.insert(run));
        String model = "m-" + name;
        models.create(new ModelRequest(model, "tests", null, null, null), ALICE);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> registrations = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ArtifactRef file = new ArtifactRef("model.pkl", Hashing.sha256("weights " + i), 10 + i);
                registrations.add(pool.submit(() ->
                        jdbi.inTransaction(h -> models.registerFromStep(h, run, "train", List.of(file), model, null))));
            }
            for (Future<String> f : registrations) {
                assertThat(f.get()).startsWith("registered as model " + model + " version ");
            }
            List<Integer> versions = models.versions("tests", model, null, 500).items().stream()
                    .map(ModelVersionView::version)
                    .toList();
            assertThat(versions)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 16)
                            .map(v -> 17 - v)
                            .boxed()
                            .toList());

            List<Future<?>> moves = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int version = 1 + i % 16;
                moves.add(pool.submit(() ->
                        models.setAlias("tests", model, "production", new AliasRequest(null, version), ALICE, true)));
            }
            for (Future<?> f : moves) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<AliasMoveView> history = new ArrayList<>(
                models.history("tests", model, "production", null, 500).items());
        Collections.reverse(history); // oldest first
        assertThat(history).hasSizeGreaterThanOrEqualTo(16);
        assertThat(history.get(0).from()).isNull();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).from())
                    .as("move %d starts where move %d ended", i, i - 1)
                    .isEqualTo(history.get(i - 1).to());
            assertThat(history.get(i).to()).isNotEqualTo(history.get(i).from());
        }
        assertThat(models.alias("tests", model, "production").version())
                .isEqualTo(history.get(history.size() - 1).to());
    }

    /**
     * As a step's end registers: inside a transaction that has read before (so MariaDB's snapshot is older than the
     * versions the others add), into a model that does not exist yet. A plain read of the next version number found
     * 1 again, and the second run's end failed on a duplicate key.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void stepEndsThatReadBeforeRegisteringIntoANewModelGetConsecutiveVersions(
            String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        ModelRegistry models = new ModelRegistry(jdbi);
        RunRow run = BothDatabases.runRow(UUID.randomUUID().toString(), "tests", "RUNNING", "{}", 1L);
        jdbi.useExtension(RunDao.class, dao -> dao.insert(run));
        String model = "fresh-" + name;
        int n = 8;
        CountDownLatch read = new CountDownLatch(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> registrations = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ArtifactRef file = new ArtifactRef("model.pkl", Hashing.sha256("fresh " + i), 10 + i);
                registrations.add(pool.submit(() -> jdbi.inTransaction(h -> {
                    h.createQuery("SELECT COUNT(*) FROM model_versions")
                            .mapTo(Integer.class)
                            .one();
                    read.countDown();
                    read.await(10, TimeUnit.SECONDS); // every snapshot taken before any version is added
                    return models.registerFromStep(h, run, "train", List.of(file), model, null);
                })));
            }
            for (Future<String> f : registrations) {
                assertThat(f.get()).startsWith("registered as model " + model + " version ");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(models.versions("tests", model, null, 500).items().stream()
                        .map(ModelVersionView::version)
                        .toList())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, n).map(v -> n + 1 - v).boxed().toList());
    }
}
