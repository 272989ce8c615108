package io.baton.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.bundle.BundleLimits;
import io.baton.server.access.Access;
import io.baton.server.api.DatasetRequest;
import io.baton.server.api.DatasetVersionRequest;
import io.baton.server.api.DatasetView;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.db.MemberRow;
import io.baton.server.db.ProjectDao;
import io.baton.server.db.ProjectRow;
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

/**
 * The registry's queries narrow lists to projects, a name or a run only when asked, keep the same name apart in two
 * projects, and show lineage only through projects the caller may read, on H2 and MariaDB alike.
 */
class RegistryQueriesTest {
    private static final Caller ALICE = new Caller("t1", "alice", Caller.USER, false);
    private static final Caller ADMIN = new Caller("t0", "admin", Caller.USER, true);

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
        String elsewhere = "elsewhere-" + tag;
        ensureProject(jdbi, run.project());
        ensureProject(jdbi, elsewhere);

        String model = "m-" + tag;
        jdbi.useTransaction(h -> models.registerFromStep(h, run, "train", List.of(file), model, null));
        models.create(new ModelRequest("other-" + tag, elsewhere, null, null, null), ALICE);
        models.create(new ModelRequest(model, elsewhere, "the same name elsewhere", null, null), ALICE);
        assertThat(all((c, n) -> models.models(List.of(run.project()), c, n)))
                .extracting(ModelView::name)
                .contains(model)
                .doesNotContain("other-" + tag);
        assertThat(all((c, n) -> models.models(null, c, n)))
                .extracting(ModelView::project, ModelView::name)
                .contains(tuple(run.project(), model), tuple(elsewhere, "other-" + tag), tuple(elsewhere, model));
        assertThat(models.models(List.of(), null, null).items()).isEmpty();
        assertThat(models.model(elsewhere, model).description()).isEqualTo("the same name elsewhere");
        assertThat(models.model(elsewhere, model).latestVersion()).isNull();
        assertThat(models.model(run.project(), model).latestVersion()).isEqualTo(1);
        assertThatThrownBy(() -> models.create(new ModelRequest(model, elsewhere, null, null, null), ALICE))
                .hasMessage("a model named '" + model + "' exists already in project '" + elsewhere + "'");

        String dataset = "d-" + tag;
        datasets.create(new DatasetRequest(dataset, run.project(), null), ALICE);
        datasets.create(new DatasetRequest(dataset, elsewhere, null), ALICE);
        assertThatThrownBy(() -> datasets.resolve(run.project(), dataset, null))
                .hasMessage("dataset '" + run.project() + "/" + dataset + "' has no versions yet");
        datasets.add(run.project(), dataset, new DatasetVersionRequest(null, null, null, List.of(file), null), ALICE);
        assertThat(datasets.resolve(run.project(), dataset, null).source())
                .isEqualTo("dataset:" + run.project() + "/" + dataset + "/1");
        assertThat(datasets.dataset(elsewhere, dataset).latestVersion()).isNull();
        assertThat(all((c, n) -> datasets.datasets(List.of(run.project()), c, n)))
                .extracting(DatasetView::name)
                .contains(dataset);
        assertThat(all((c, n) -> datasets.datasets(List.of("no-such-project"), c, n)))
                .isEmpty();

        MlflowRegistry mlflow = new MlflowRegistry(models, jdbi);
        assertThat(mlflow.searchModels(run.project(), "name = '" + model + "'", null, null, null)
                        .registeredModels())
                .extracting(RegisteredModel::name)
                .containsExactly(model);
        assertThat(mlflow.searchModels(elsewhere, "name LIKE '%" + tag + "'", null, null, null)
                        .registeredModels())
                .extracting(RegisteredModel::name)
                .containsExactlyInAnyOrder(model, "other-" + tag);
        assertThat(mlflow.searchVersions(run.project(), "run_id = '" + runId + "'", null, null, null)
                        .modelVersions())
                .extracting(ModelVersion::name, ModelVersion::version)
                .containsExactly(tuple(model, "1"));
        assertThat(mlflow.searchVersions(elsewhere, "run_id = '" + runId + "'", null, null, null)
                        .modelVersions())
                .isEmpty();
        assertThat(mlflow.searchVersions(
                                run.project(), "name = '" + model + "' AND run_id = 'no-run'", null, null, null)
                        .modelVersions())
                .isEmpty();

        Access access = new Access(jdbi);
        Lineage lineage = new Lineage(jdbi, blobs, access);
        Map<String, Object> seen = lineage.ofArtifact(file.sha256(), ADMIN, null);
        assertThat(seen.get("models"))
                .isEqualTo(List.of(Map.of("project", run.project(), "name", model, "version", 1, "path", "model.pkl")));
        assertThat(seen.get("datasets"))
                .isEqualTo(
                        List.of(Map.of("project", run.project(), "name", dataset, "version", 1, "path", "model.pkl")));
        assertThat(seen.get("producedBy")).isEqualTo(List.of());
        assertThat(seen.get("bundleOf")).isEqualTo(List.of());

        // someone with a role in the other project only learns nothing of the blob; through its own project, all
        String bobId = "bob-" + tag;
        jdbi.useExtension(
                ProjectDao.class,
                dao -> dao.addMember(new MemberRow(elsewhere, "USER", bobId, "viewer", false, false, "admin", 0L)));
        Caller bob = new Caller("t2", bobId, "bob", Caller.USER, false, null);
        assertThatThrownBy(() -> lineage.ofArtifact(file.sha256(), bob, null))
                .hasMessage("no artifact with sha256 " + file.sha256());
        assertThatThrownBy(() -> lineage.ofArtifact(file.sha256(), bob, run.project()))
                .hasMessage("no artifact with sha256 " + file.sha256());
        assertThat(lineage.ofArtifact(file.sha256(), ADMIN, run.project()).get("models"))
                .asList()
                .hasSize(1);
    }

    private static void ensureProject(Jdbi jdbi, String project) {
        jdbi.useExtension(ProjectDao.class, dao -> {
            if (dao.find(project).isEmpty()) {
                dao.insert(new ProjectRow(project, null, "test", null, 0L));
            }
        });
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
