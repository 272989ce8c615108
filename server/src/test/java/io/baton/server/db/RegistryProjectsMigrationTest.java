package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.server.api.ModelView;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V11 moves every dataset and model, with their versions, files, aliases and alias moves, into their project's keys,
 * and protects {@code production} of every model, on H2 and MariaDB alike.
 */
class RegistryProjectsMigrationTest {
    static Stream<String> databases() {
        return Stream.of("h2", "mariadb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rowsWrittenBeforeV11AreFoundInTheirProject(String database) throws Exception {
        TestDatabase fresh = database.equals("mariadb") ? TestDatabase.create() : null;
        String url = fresh == null
                ? "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1"
                : fresh.url();
        String user = fresh == null ? "sa" : fresh.user();
        String password = fresh == null ? "" : fresh.password();
        try {
            migrate(url, user, password, "10.1");
            Jdbi jdbi = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
            String sha = "a".repeat(64);
            jdbi.useHandle(h -> {
                h.execute("INSERT INTO datasets (name, project, created_by, created_at) VALUES ('iris', 'vision', 'al',"
                        + " 1)");
                h.execute(
                        "INSERT INTO dataset_versions (dataset, version, content_sha256, created_by, created_at)"
                                + " VALUES ('iris', 1, ?, 'al', 2)",
                        sha);
                h.execute("INSERT INTO models (name, project, tags, created_by, created_at, updated_at) VALUES"
                        + " ('resnet', 'vision', '{}', 'al', 1, 1)");
                h.execute(
                        "INSERT INTO model_versions (model, version, content_sha256, source_run, source_step, tags,"
                                + " status, created_by, created_at) VALUES ('resnet', 1, ?, 'r1', 'train', '{}', 'APPROVED',"
                                + " 'al', 3)",
                        sha);
                h.execute(
                        "INSERT INTO registry_files (kind, name, version, path, path_sha256, sha256, size_bytes)"
                                + " VALUES ('DATASET', 'iris', 1, 'a.csv', ?, ?, 5)",
                        sha,
                        sha);
                h.execute(
                        "INSERT INTO registry_files (kind, name, version, path, path_sha256, sha256, size_bytes)"
                                + " VALUES ('MODEL', 'resnet', 1, 'm.pt', ?, ?, 7)",
                        sha,
                        sha);
                h.execute("INSERT INTO model_aliases (model, alias, version, moved_by, moved_at) VALUES ('resnet',"
                        + " 'production', 1, 'al', 4)");
                h.execute("INSERT INTO model_alias_moves (model, alias, seq, to_version, moved_by, moved_at) VALUES"
                        + " ('resnet', 'production', 1, 1, 'al', 4)");
            });

            migrate(url, user, password, null);

            ModelView resnet = new ModelRegistry(jdbi).model("vision", "resnet");
            assertThat(resnet.latestVersion()).isEqualTo(1);
            assertThat(resnet.aliases()).containsEntry("production", 1);
            assertThat(resnet.protectedAliases()).containsExactly("production");
            jdbi.useHandle(h -> {
                assertThat(h.attach(DatasetDao.class).findVersion("vision", "iris", 1))
                        .isPresent();
                assertThat(h.attach(RegistryFileDao.class).holding("DATASET", sha, 10))
                        .extracting(RegistryFileRow::project, RegistryFileRow::name)
                        .containsExactly(tuple("vision", "iris"));
                assertThat(h.attach(RegistryFileDao.class).ofVersions("MODEL", "vision", "resnet", List.of(1)))
                        .extracting(RegistryFileRow::path)
                        .containsExactly("m.pt");
                assertThat(h.attach(ModelAliasDao.class).movesBefore("vision", "resnet", "production", 99, 10))
                        .extracting(AliasMoveRow::toVersion)
                        .containsExactly(1);
                assertThat(h.attach(ModelDao.class).findVersion("vision", "resnet", 1))
                        .get()
                        .extracting(ModelVersionRow::status)
                        .isEqualTo("APPROVED");
            });
        } finally {
            if (fresh != null) {
                fresh.owner().close();
            }
        }
    }

    private static void migrate(String url, String user, String password, String target) {
        var config = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        (target == null ? config : config.target(target)).load().migrate();
    }
}
