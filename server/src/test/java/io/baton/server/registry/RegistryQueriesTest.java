package io.baton.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.bundle.BundleLimits;
import io.baton.server.api.DatasetRequest;
import io.baton.server.api.DatasetVersionRequest;
import io.baton.server.api.DatasetView;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.mlflow.MlflowMessages.ModelVersion;
import io.baton.server.mlflow.MlflowMessages.RegisteredModel;
import io.baton.server.mlflow.MlflowRegistry;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry's queries narrow lists to a project, a name or a run only when asked, on H2 and MariaDB alike. */
class RegistryQueriesTest {
    private static final Caller ALICE = new Caller("t1", "alice", Caller.USER, false);

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void listsSearchesAndLineageNarrowOnlyWhenAsked(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        BlobStore blobs = new FolderBlobStore(Files.createTempDirectory("blobs"));
        ModelRegistry models = new ModelRegistry(jdbi);
        DatasetRegistry datasets = new DatasetRegistry(jdbi, blobs, BundleLimits.DEFAULT);
        String tag = name.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train");
        RunRow run = jdbi.withHandle(h -> h.attach(RunDao.class).find(runId).orElseThrow());
        BlobStore.Spooled weights = blobs.spool(new ByteArrayInputStream(tag.getBytes(StandardCharsets.UTF_8)));
        blobs.adopt(weights.file(), weights.sha256());
        ArtifactRef file = new ArtifactRef("model.pkl", weights.sha256(), weights.size());

        String model = "m-" + tag;
        jdbi.useTransaction(h -> models.registerFromStep(h, run, "train", List.of(file), model, null));
        models.create(new ModelRequest("other-" + tag, "elsewhere-" + tag.length(), null, null), ALICE);
        assertThat(all((c, n) -> models.models(run.project(), c, n)))
                .extracting(ModelView::name)
                .contains(model)
                .doesNotContain("other-" + tag);
        assertThat(all((c, n) -> models.models(null, c, n)))
                .extracting(ModelView::name)
                .contains(model, "other-" + tag);

        String dataset = "d-" + tag;
        datasets.create(new DatasetRequest(dataset, run.project(), null), ALICE);
        assertThatThrownBy(() -> datasets.resolve(dataset, null, run.project()))
                .hasMessage("dataset '" + dataset + "' has no versions yet");
        datasets.add(dataset, new DatasetVersionRequest(null, null, null, List.of(file), null), ALICE);
        assertThat(datasets.resolve(dataset, null, run.project()).source()).isEqualTo("dataset:" + dataset + "/1");
        assertThat(all((c, n) -> datasets.datasets(run.project(), c, n)))
                .extracting(DatasetView::name)
                .contains(dataset);
        assertThat(all((c, n) -> datasets.datasets("no-such-project", c, n))).isEmpty();

        MlflowRegistry mlflow = new MlflowRegistry(models, jdbi);
        assertThat(mlflow.searchModels("name = '" + model + "'", null, null, null)
                        .registeredModels())
                .extracting(RegisteredModel::name)
                .containsExactly(model);
        assertThat(mlflow.searchModels("name LIKE '%" + tag + "'", null, null, null)
                        .registeredModels())
                .extracting(RegisteredModel::name)
                .containsExactlyInAnyOrder(model, "other-" + tag);
        assertThat(mlflow.searchVersions("run_id = '" + runId + "'", null, null, null)
                        .modelVersions())
                .extracting(ModelVersion::name, ModelVersion::version)
                .containsExactly(tuple(model, "1"));
        assertThat(mlflow.searchVersions("name = '" + model + "' AND run_id = 'no-run'", null, null, null)
                        .modelVersions())
                .isEmpty();

        Map<String, Object> lineage = new Lineage(jdbi, blobs).ofArtifact(file.sha256());
        assertThat(lineage.get("models")).isEqualTo(List.of(Map.of("name", model, "version", 1, "path", "model.pkl")));
        assertThat(lineage.get("datasets"))
                .isEqualTo(List.of(Map.of("name", dataset, "version", 1, "path", "model.pkl")));
        assertThat(lineage.get("producedBy")).isEqualTo(List.of());
        assertThat(lineage.get("bundleOf")).isEqualTo(List.of());
    }

    /** Every item of a list, read a page of two at a time. */
    private static <T> List<T> all(BiFunction<String, Integer, Page<T>> list) {
        List<T> items = new ArrayList<>();
        String cursor = null;
        do {
            Page<T> page = list.apply(cursor, 2);
            items.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return items;
    }
}
