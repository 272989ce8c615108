package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.testing.BothDatabases;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** OIDC sign-ins under way (each used once) and the memberships a groups claim gave, on H2 and MariaDB. */
class OidcDaoTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void aFlowIsTakenOnceAndOldOnesAreSwept(String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        OidcDao dao = jdbi.onDemand(OidcDao.class);
        String fresh = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        dao.insertFlow(new OidcFlowRow(fresh, "verifier", "nonce", "/runs?x=1", now));
        dao.insertFlow(new OidcFlowRow(old, "verifier", "nonce", null, now - 3_600_000));

        assertThat(dao.countFlows()).isGreaterThanOrEqualTo(2);
        assertThat(dao.findFlow(fresh)).contains(new OidcFlowRow(fresh, "verifier", "nonce", "/runs?x=1", now));
        assertThat(dao.deleteFlow(fresh)).isEqualTo(1);
        assertThat(dao.deleteFlow(fresh)).as("a second use").isZero();
        assertThat(dao.deleteFlowsBefore(now - 600_000)).isGreaterThanOrEqualTo(1);
        assertThat(dao.findFlow(old)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void membershipsGivenByTheClaimAreRecordedOnce(String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        OidcDao dao = jdbi.onDemand(OidcDao.class);
        String team = "t" + UUID.randomUUID().toString().substring(0, 8);
        String userId = UUID.randomUUID().toString();
        assertThat(dao.given(team, userId)).as("no such team").isZero();

        jdbi.onDemand(ProjectDao.class).insertTeam(new TeamRow(team, null, "oidc", 1L));
        assertThat(dao.given(team, userId)).isEqualTo(1);
        assertThat(dao.given(team, userId)).as("again").isZero();
        assertThat(dao.teamsGiven(userId)).containsExactly(team);
        assertThat(dao.notGiven(team, userId)).isEqualTo(1);
        assertThat(dao.teamsGiven(userId)).isEmpty();
    }
}
