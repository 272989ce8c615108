package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** OIDC sign-ins under way, and the team memberships that the issuer's groups claim gave. */
@RegisterConstructorMapper(OidcFlowRow.class)
public interface OidcDao {
    @SqlUpdate("INSERT INTO oidc_flows (state_hash, verifier, nonce, redirect, created_at)"
            + " VALUES (:stateHash, :verifier, :nonce, :redirect, :createdAt)")
    void insertFlow(@BindMethods OidcFlowRow flow);

    @SqlQuery("SELECT * FROM oidc_flows WHERE state_hash = :stateHash")
    Optional<OidcFlowRow> findFlow(String stateHash);

    /** 1 for the one caller that uses the flow, 0 for any other. */
    @SqlUpdate("DELETE FROM oidc_flows WHERE state_hash = :stateHash")
    int deleteFlow(String stateHash);

    @SqlQuery("SELECT COUNT(*) FROM oidc_flows")
    long countFlows();

    @SqlUpdate("DELETE FROM oidc_flows WHERE created_at < :before")
    int deleteFlowsBefore(long before);

    @SqlQuery("SELECT team FROM oidc_team_members WHERE user_id = :userId ORDER BY team")
    List<String> teamsGiven(String userId);

    @SqlUpdate("INSERT INTO oidc_team_members (team, user_id) SELECT :team, :userId FROM teams WHERE name = :team"
            + " AND NOT EXISTS (SELECT 1 FROM oidc_team_members WHERE team = :team AND user_id = :userId)")
    int given(String team, String userId);

    @SqlUpdate("DELETE FROM oidc_team_members WHERE team = :team AND user_id = :userId")
    int notGiven(String team, String userId);
}
