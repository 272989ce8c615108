package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Registered workers. */
@RegisterConstructorMapper(WorkerRow.class)
public interface WorkerDao {
    @SqlUpdate("UPDATE workers SET pools = :pools, cpus = :cpus, memory_bytes = :memoryBytes, gpus = :gpus,"
            + " slots = :slots, info = :info, draining = :draining, running = :running,"
            + " last_heartbeat_at = :lastHeartbeatAt, drain_requested = FALSE WHERE name = :name")
    int update(@BindMethods WorkerRow worker);

    @SqlUpdate("INSERT INTO workers (name, pools, cpus, memory_bytes, gpus, slots, info, draining, running,"
            + " registered_at, last_heartbeat_at) VALUES (:name, :pools, :cpus, :memoryBytes, :gpus, :slots, :info,"
            + " :draining, :running, :registeredAt, :lastHeartbeatAt)")
    void insert(@BindMethods WorkerRow worker);

    @SqlUpdate("UPDATE workers SET running = :running, draining = :draining, last_heartbeat_at = :now"
            + " WHERE name = :name")
    int heartbeat(String name, String running, boolean draining, long now);

    @SqlQuery("SELECT * FROM workers WHERE name = :name")
    Optional<WorkerRow> find(String name);

    @SqlQuery("SELECT * FROM workers ORDER BY name")
    List<WorkerRow> all();

    /** The pools (JSON lists) of the workers heard from since {@code since}. */
    @SqlQuery("SELECT pools FROM workers WHERE last_heartbeat_at >= :since")
    List<String> poolsHeardSince(long since);

    @SqlUpdate("DELETE FROM workers WHERE name = :name AND last_heartbeat_at < :before")
    int deleteSilentSince(String name, long before);

    @SqlUpdate("UPDATE workers SET drain_requested = TRUE WHERE name = :name")
    int requestDrain(String name);
}
