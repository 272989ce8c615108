package io.baton.server.db;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Uploaded code bundles (their bytes are in the blob store). */
@RegisterConstructorMapper(BundleRow.class)
public interface BundleDao {
    @SqlQuery("SELECT * FROM bundles WHERE sha256 = :sha256")
    Optional<BundleRow> find(String sha256);

    @SqlUpdate("INSERT INTO bundles (sha256, size_bytes, files, created_by, created_at) VALUES (:sha256, :sizeBytes,"
            + " :files, :createdBy, :createdAt)")
    void insert(@BindMethods BundleRow bundle);
}
