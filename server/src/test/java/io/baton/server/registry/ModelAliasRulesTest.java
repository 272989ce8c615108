package io.baton.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.common.Hashing;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionPatch;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ArtifactRef;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A protected alias moves only for a caller who may promote, any other alias for any writer, and no alias ever
 * points at a REJECTED version, on H2 and MariaDB alike.
 */
class ModelAliasRulesTest {
    private static final Caller ALICE = new Caller("t1", "u-alice", "alice", Caller.USER, false, null);

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void protectedAliasesNeedPromoteAndNoAliasPointsAtARejectedVersion(
            String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        ModelRegistry models = new ModelRegistry(jdbi);
        String project = "rules";
        String model = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(models.create(new ModelRequest(model, project, null, null, null), ALICE)
                        .protectedAliases())
                .containsExactly("production");
        RunRow run = BothDatabases.runRow(UUID.randomUUID().toString(), project, "SUCCEEDED", "{}", 0L);
        jdbi.useExtension(RunDao.class, dao -> dao.insert(run));
        for (int i = 1; i <= 3; i++) {
            ArtifactRef file = new ArtifactRef("model.pkl", Hashing.sha256("w" + i), i);
            jdbi.useTransaction(h -> models.registerFromStep(h, run, "train", List.of(file), model, null));
        }

        assertThatThrownBy(() -> models.setAlias(project, model, "production", new AliasRequest(null, 1), ALICE, false))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining("alias 'production' of model '" + model + "' is protected");
        assertThat(models.setAlias(project, model, "staging", new AliasRequest(null, 1), ALICE, false)
                        .version())
                .isEqualTo(1);
        assertThat(models.setAlias(project, model, "production", new AliasRequest(null, 1), ALICE, true)
                        .movedBy())
                .isEqualTo("alice");
        assertThatThrownBy(() -> models.deleteAlias(project, model, "production", ALICE, false))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(403));

        models.update(project, model, 2, new ModelVersionPatch("REJECTED", "overfits", null, null), ALICE);
        assertThat(models.version(project, model, 2).statusBy()).isEqualTo("alice");
        assertThatThrownBy(() -> models.setAlias(project, model, "staging", new AliasRequest(null, 2), ALICE, true))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("version 2 of model '" + model + "' is REJECTED; an alias cannot point at a rejected"
                        + " version");
        assertThatThrownBy(() ->
                        models.update(project, model, 1, new ModelVersionPatch("REJECTED", null, null, null), ALICE))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("cannot be REJECTED while aliases point at it: [production, staging]");

        // a project admin makes 'staging' protected and 'production' not
        models.update(project, model, new ModelRequest(null, null, null, null, List.of("staging")));
        assertThat(models.setAlias(project, model, "production", new AliasRequest(null, 3), ALICE, false)
                        .version())
                .isEqualTo(3);
        assertThatThrownBy(() -> models.setAlias(project, model, "staging", new AliasRequest(null, 3), ALICE, false))
                .isInstanceOfSatisfying(
                        BatonException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(models.model(project, model).protectedAliases()).containsExactly("staging");
    }
}
