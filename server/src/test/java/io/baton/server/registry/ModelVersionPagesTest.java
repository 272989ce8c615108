package io.baton.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.common.Hashing;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A page of model versions is read with a few queries for the whole page: each version must still show its own
 * source run's metrics, its own aliases and its own files, exactly as the version read alone shows them.
 */
class ModelVersionPagesTest {
    private static final Caller ALICE = new Caller("t1", "alice", Caller.USER, false);

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void everyVersionOfAPageShowsItsOwnMetricsAliasesAndFiles(String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        ModelRegistry models = new ModelRegistry(jdbi);
        String model = "pages-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        models.create(new ModelRequest(model, "tests", null, null, null), ALICE);
        RunRow good = run(jdbi, Map.of("accuracy", 0.9, "loss", 0.1));
        RunRow bad = run(jdbi, Map.of("accuracy", 0.5));
        RunRow silent = run(jdbi, Map.of());
        List<RunRow> sources = List.of(good, bad, silent, good, bad);
        for (int i = 0; i < sources.size(); i++) {
            List<ArtifactRef> files =
                    new ArrayList<>(List.of(new ArtifactRef("model.pkl", Hashing.sha256("w" + i), 10 + i)));
            if (i % 2 == 0) {
                files.add(new ArtifactRef("extra/notes.txt", Hashing.sha256("n" + i), 3));
            }
            RunRow source = sources.get(i);
            jdbi.useTransaction(h -> models.registerFromStep(h, source, "train", files, model, null));
        }
        models.setAlias("tests", model, "production", new AliasRequest(null, 2), ALICE, true);
        models.setAlias("tests", model, "staging", new AliasRequest(null, 2), ALICE, true);
        models.setAlias("tests", model, "canary", new AliasRequest(null, 5), ALICE, true);

        List<ModelVersionView> listed = new ArrayList<>();
        String cursor = null;
        do {
            Page<ModelVersionView> page = models.versions("tests", model, cursor, 2);
            assertThat(page.items().size()).isBetween(1, 2);
            listed.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(listed).extracting(ModelVersionView::version).containsExactly(5, 4, 3, 2, 1);
        for (ModelVersionView v : listed) {
            assertThat(v)
                    .as("version %d listed as read alone", v.version())
                    .isEqualTo(models.version("tests", model, v.version()));
        }
        ModelVersionView two = listed.get(3);
        assertThat(two.aliases()).containsExactly("production", "staging");
        assertThat(two.metrics()).containsExactlyEntriesOf(Map.of("accuracy", 0.5));
        assertThat(two.files()).extracting(ArtifactRef::path).containsExactly("model.pkl");
        ModelVersionView one = listed.get(4);
        assertThat(one.metrics()).containsExactly(Map.entry("accuracy", 0.9), Map.entry("loss", 0.1));
        assertThat(one.files()).extracting(ArtifactRef::path).containsExactly("extra/notes.txt", "model.pkl");
        assertThat(one.aliases()).isEmpty();
        assertThat(listed.get(2).metrics()).isEmpty(); // version 3, from a run without metrics
        assertThat(listed.get(0).aliases()).containsExactly("canary");
    }

    private static RunRow run(Jdbi jdbi, Map<String, Double> metrics) {
        String id = UUID.randomUUID().toString();
        RunRow run = BothDatabases.runRow(id, "tests", "SUCCEEDED", "{}", System.currentTimeMillis());
        jdbi.useExtension(RunDao.class, dao -> dao.insert(run));
        metrics.forEach((metric, value) -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO run_metrics (run_id, name,"
                        + " step, attempt, seq, time_ms, metric_value) VALUES (:run, :name, 'train', 1, 0, 0, :value)")
                .bind("run", id)
                .bind("name", metric)
                .bind("value", value)
                .execute()));
        return run;
    }
}
