package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The proxy's request counts per endpoint, version, 10-second bucket and server; each row has one writer. */
@RegisterConstructorMapper(EndpointMetricRow.class)
public interface EndpointMetricDao {
    @SqlUpdate("UPDATE endpoint_metrics SET requests = :requests, errors = :errors, latency = :latency"
            + " WHERE endpoint_id = :endpointId AND version = :version AND bucket = :bucket AND server = :server")
    int update(@BindMethods EndpointMetricRow row);

    @SqlUpdate("INSERT INTO endpoint_metrics (endpoint_id, version, bucket, server, requests, errors, latency)"
            + " VALUES (:endpointId, :version, :bucket, :server, :requests, :errors, :latency)")
    void insert(@BindMethods EndpointMetricRow row);

    @SqlQuery("SELECT * FROM endpoint_metrics WHERE endpoint_id = :endpointId AND bucket >= :since")
    List<EndpointMetricRow> since(String endpointId, long since);

    @SqlUpdate("DELETE FROM endpoint_metrics WHERE bucket < :before")
    int deleteBefore(long before);
}
