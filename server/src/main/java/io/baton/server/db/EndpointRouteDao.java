package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What the {@code /serve} proxy reads of an endpoint (read only): its routing fields and its READY replicas. */
public interface EndpointRouteDao {
    @SqlQuery("SELECT id, status, message, revision, stable_revision, canary_revision, canary_percent FROM endpoints"
            + " WHERE project = :project AND name = :name")
    @RegisterConstructorMapper(EndpointRouteRow.class)
    Optional<EndpointRouteRow> find(String project, String name);

    /** The model version each revision serves, for the revisions in {@code revisions}. */
    @SqlQuery("SELECT revision, version FROM endpoint_revisions WHERE endpoint_id = :endpointId"
            + " AND revision IN (:stable, :canary, :latest)")
    @RegisterConstructorMapper(RevisionVersionRow.class)
    List<RevisionVersionRow> versions(String endpointId, int stable, int canary, int latest);

    /** The replicas that may take traffic: READY, with an address. */
    @SqlQuery("SELECT id, revision, version, address FROM endpoint_replicas WHERE endpoint_id = :endpointId"
            + " AND status = 'READY' AND address IS NOT NULL ORDER BY id")
    @RegisterConstructorMapper(RoutableReplicaRow.class)
    List<RoutableReplicaRow> ready(String endpointId);
}
