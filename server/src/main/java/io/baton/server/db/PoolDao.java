package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Which projects a pool is limited to (none listed: every project). */
public interface PoolDao {
    @SqlQuery("SELECT project FROM pool_projects WHERE pool = :pool ORDER BY project")
    List<String> projectsOf(String pool);

    @SqlUpdate("DELETE FROM pool_projects WHERE pool = :pool")
    void clear(String pool);

    @SqlBatch("INSERT INTO pool_projects (pool, project) VALUES (:pool, :project)")
    void add(String pool, List<String> project);

    @Transaction
    default void limit(String pool, List<String> projects) {
        clear(pool);
        if (!projects.isEmpty()) {
            add(pool, projects);
        }
    }
}
