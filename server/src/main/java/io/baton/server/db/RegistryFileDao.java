package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The files of dataset and model versions, content addressed in the blob store. */
@RegisterConstructorMapper(RegistryFileRow.class)
public interface RegistryFileDao {
    @SqlBatch("INSERT INTO registry_files (kind, project, name, version, path, path_sha256, sha256, size_bytes)"
            + " VALUES (:kind, :project, :name, :version, :path, :pathSha256, :sha256, :sizeBytes)")
    void insertAll(@BindMethods List<RegistryFileRow> files);

    /** The files of several versions of one dataset or model, by version and path. */
    @SqlQuery("SELECT * FROM registry_files WHERE kind = :kind AND project = :project AND name = :name"
            + " AND version IN (<versions>) ORDER BY version, path")
    List<RegistryFileRow> ofVersions(
            String kind, String project, String name, @BindList("versions") List<Integer> versions);

    /** The versions that hold a blob, by project, name and version, at most {@code limit}. */
    @SqlQuery("SELECT * FROM registry_files WHERE kind = :kind AND sha256 = :sha ORDER BY project, name, version"
            + " LIMIT :limit")
    List<RegistryFileRow> holding(String kind, @Bind("sha") String sha256, int limit);
}
