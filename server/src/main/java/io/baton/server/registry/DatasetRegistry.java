package io.baton.server.registry;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.bundle.BundleException;
import io.baton.bundle.BundleLimits;
import io.baton.bundle.Bundles;
import io.baton.server.api.DatasetRequest;
import io.baton.server.api.DatasetVersionRequest;
import io.baton.server.api.DatasetVersionView;
import io.baton.server.api.DatasetView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.PageLimits;
import io.baton.server.core.Projects;
import io.baton.server.db.DatasetDao;
import io.baton.server.db.DatasetRow;
import io.baton.server.db.DatasetVersionRow;
import io.baton.server.db.ListCursors;
import io.baton.workflows.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Datasets: named sets of files in versions made from an upload, a run step's outputs or stored blobs. */
public final class DatasetRegistry {
    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final BundleLimits limits;

    public DatasetRegistry(Jdbi jdbi, BlobStore blobs, BundleLimits limits) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.limits = limits;
    }

    /** The result of adding a version; {@code created} is false when the same files were a version already. */
    public record Added(DatasetVersionView version, boolean created) {}

    public DatasetView create(DatasetRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest(
                    "the body must be a JSON object with 'name' and optionally 'project' and" + " 'description'");
        }
        String name = Names.name("dataset", request.name());
        String project = Projects.check(request.project());
        String description = Names.description(request.description());
        try {
            return jdbi.inTransaction(h -> {
                if (find(h, name).isPresent()) {
                    throw BatonException.conflict("a dataset named '" + name + "' exists already");
                }
                h.attach(DatasetDao.class)
                        .insert(name, project, description, caller.name(), System.currentTimeMillis());
                return view(h, require(h, name, false));
            });
        } catch (UnableToExecuteStatementException e) {
            throw BatonException.conflict("a dataset named '" + name + "' exists already");
        }
    }

    public DatasetView dataset(String name) {
        return jdbi.withHandle(h -> view(h, require(h, name, false)));
    }

    public Page<DatasetView> datasets(String project, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        String after = ListCursors.afterName(cursor, BatonException::badRequest);
        String inProject = project == null ? null : Projects.check(project);
        return jdbi.withHandle(h -> {
            List<DatasetRow> rows = h.attach(DatasetDao.class).page(inProject, after, n + 1);
            List<DatasetView> items =
                    rows.stream().limit(n).map(r -> view(h, r)).toList();
            return new Page<>(
                    items, rows.size() > n ? ListCursors.encode(items.get(n - 1).name()) : null);
        });
    }

    /** A version from a run step's outputs or from stored blobs (a JSON request). */
    public Added add(String name, DatasetVersionRequest request, Caller caller) {
        if (request == null || (request.run() == null) == (request.files() == null)) {
            throw BatonException.badRequest("send either 'run' and 'step' (and optionally 'path'), whose outputs become"
                    + " the version, or 'files' ([{\"path\", \"sha256\"}] of stored blobs); or upload a tar.gz with"
                    + " Content-Type application/gzip");
        }
        String description = Names.description(request.description());
        if (request.files() != null) {
            List<ArtifactRef> files = storedFiles(request.files());
            return jdbi.inTransaction(
                    h -> addFiles(h, require(h, name, true), files, null, null, description, caller.name()));
        }
        if (request.step() == null) {
            throw BatonException.badRequest("'step' is required with 'run': the step whose outputs become the version");
        }
        return jdbi.inTransaction(h -> {
            DatasetRow d = require(h, name, true);
            RunOutputs.Source source = RunOutputs.of(h, request.run(), request.step(), request.path(), "dataset");
            if (!source.run().project().equals(d.project())) {
                throw BatonException.badRequest("run " + source.run().id() + " belongs to project '"
                        + source.run().project() + "', dataset '" + name + "' to project '" + d.project()
                        + "': a dataset's versions come from runs of its own project");
            }
            return addFiles(h, d, source.files(), source.run().id(), request.step(), description, caller.name());
        });
    }

    private List<ArtifactRef> storedFiles(List<ArtifactRef> requested) {
        if (requested.isEmpty()) {
            throw BatonException.badRequest("'files' must name at least one file");
        }
        List<ArtifactRef> files = new ArrayList<>();
        for (ArtifactRef f : requested) {
            String path = RegistryFiles.checkPath(f == null ? null : f.path());
            if (f.sha256() == null || !f.sha256().matches("[0-9a-f]{64}")) {
                throw BatonException.badRequest("file '" + path + "' needs 'sha256': 64 lower-case hex digits");
            }
            long size = blobs.size(f.sha256())
                    .orElseThrow(() -> BatonException.badRequest(
                            "file '" + path + "' names blob " + f.sha256() + ", which this server does not have"));
            files.add(new ArtifactRef(path, f.sha256(), size));
        }
        if (files.stream().map(ArtifactRef::path).distinct().count() != files.size()) {
            throw BatonException.badRequest("'files' names the same path twice");
        }
        return files;
    }

    /** A version from an uploaded tar.gz: checked like a code bundle, each file stored as a blob. */
    public Added upload(String name, InputStream body, String description, Caller caller) throws IOException {
        Names.description(description);
        jdbi.withHandle(h -> require(h, name, false)); // before reading a large body for nothing
        BlobStore.Spooled spooled = blobs.spool(body);
        Path unpacked = Files.createTempDirectory("baton-dataset-");
        try {
            if (spooled.size() == 0) {
                throw BatonException.badRequest(
                        "the body is empty; send the files as a tar.gz (Content-Type:" + " application/gzip)");
            }
            try (InputStream in = Files.newInputStream(spooled.file())) {
                Bundles.unpack(in, unpacked, limits);
            } catch (BundleException e) {
                throw e.tooLarge()
                        ? BatonException.tooLarge(e.getMessage())
                        : new BatonException(400, ErrorCodes.UNSAFE_ARCHIVE, e.getMessage());
            }
            List<ArtifactRef> files = store(unpacked);
            if (files.isEmpty()) {
                throw BatonException.badRequest("the archive holds no files");
            }
            return jdbi.inTransaction(
                    h -> addFiles(h, require(h, name, true), files, null, null, description, caller.name()));
        } finally {
            Files.deleteIfExists(spooled.file());
            deleteTree(unpacked);
        }
    }

    /** Stores the files under {@code root} as blobs, once all of them are known to be acceptable (else none). */
    private List<ArtifactRef> store(Path root) throws IOException {
        Map<String, Path> accepted = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isSymbolicLink(p)) {
                    throw BatonException.badRequest(
                            "'" + root.relativize(p) + "' is a link; a dataset holds files only");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    accepted.put(
                            RegistryFiles.checkPath(
                                    root.relativize(p).toString().replace('\\', '/')),
                            p);
                }
            }
        }
        List<ArtifactRef> files = new ArrayList<>();
        for (Map.Entry<String, Path> file : accepted.entrySet()) {
            BlobStore.Spooled blob;
            try (InputStream in = Files.newInputStream(file.getValue())) {
                blob = blobs.spool(in);
            }
            blobs.adopt(blob.file(), blob.sha256());
            files.add(new ArtifactRef(file.getKey(), blob.sha256(), blob.size()));
        }
        return files;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private Added addFiles(
            Handle h, DatasetRow d, List<ArtifactRef> files, String run, String step, String description, String user) {
        DatasetDao dao = h.attach(DatasetDao.class);
        String content = RegistryFiles.contentSha256(files);
        Optional<Integer> same = dao.versionWithContent(d.name(), content);
        if (same.isPresent()) {
            return new Added(versionView(h, d, requireVersion(h, d.name(), same.get())), false);
        }
        int version = dao.nextVersion(d.name());
        dao.insertVersion(d.name(), version, content, run, step, description, user, System.currentTimeMillis());
        RegistryFiles.insert(h, RegistryFiles.DATASET, d.name(), version, files);
        return new Added(versionView(h, d, requireVersion(h, d.name(), version)), true);
    }

    public Page<DatasetVersionView> versions(String name, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            DatasetRow d = require(h, name, false);
            List<DatasetVersionRow> rows = h.attach(DatasetDao.class).versionsBefore(name, before, n + 1);
            List<DatasetVersionRow> page = rows.stream().limit(n).toList();
            Map<Integer, List<ArtifactRef>> files = RegistryFiles.ofVersions(
                    h,
                    RegistryFiles.DATASET,
                    d.name(),
                    page.stream().map(DatasetVersionRow::version).toList());
            List<DatasetVersionView> items = page.stream()
                    .map(r -> versionView(d, r, files.getOrDefault(r.version(), List.of())))
                    .toList();
            return new Page<>(
                    items,
                    rows.size() > n
                            ? ListCursors.encode(String.valueOf(items.get(n - 1).version()))
                            : null);
        });
    }

    public DatasetVersionView version(String name, int version) {
        return jdbi.withHandle(h -> versionView(h, require(h, name, false), requireVersion(h, name, version)));
    }

    /** The files of {@code dataset://name/3} or {@code dataset://name@latest}, for a run's input. */
    public ModelRegistry.Resolved resolve(String name, Long version, String project) {
        return jdbi.withHandle(h -> {
            DatasetRow d =
                    find(h, name).orElseThrow(() -> BatonException.badRequest("there is no dataset '" + name + "'"));
            if (!d.project().equals(project)) {
                throw BatonException.badRequest("dataset '" + name + "' belongs to project '" + d.project()
                        + "', not to the run's project '" + project + "'");
            }
            Integer v = version != null
                    ? Integer.valueOf(version.intValue())
                    : h.attach(DatasetDao.class).latestVersion(name).orElse(null);
            if (v == null || findVersion(h, name, v).isEmpty()) {
                throw BatonException.badRequest(
                        v == null
                                ? "dataset '" + name + "' has no versions yet"
                                : "dataset '" + name + "' has no version " + v);
            }
            return new ModelRegistry.Resolved(
                    RegistryFiles.of(h, RegistryFiles.DATASET, name, v), "dataset:" + name + "/" + v);
        });
    }

    private static Optional<DatasetRow> find(Handle h, String name) {
        return h.attach(DatasetDao.class).find(name);
    }

    /** A dataset named in a path: 404 when absent; locked for the transaction when {@code forUpdate}. */
    private static DatasetRow require(Handle h, String name, boolean forUpdate) {
        DatasetDao dao = h.attach(DatasetDao.class);
        return (forUpdate ? dao.lock(name) : dao.find(name))
                .orElseThrow(() -> BatonException.notFound("no dataset named '" + abbreviate(name, API) + "'"));
    }

    private static Optional<DatasetVersionRow> findVersion(Handle h, String name, int version) {
        return h.attach(DatasetDao.class).findVersion(name, version);
    }

    private static DatasetVersionRow requireVersion(Handle h, String name, int version) {
        return findVersion(h, name, version)
                .orElseThrow(() -> BatonException.notFound("dataset '" + name + "' has no version " + version));
    }

    private static DatasetView view(Handle h, DatasetRow d) {
        Integer latest = h.attach(DatasetDao.class).latestVersion(d.name()).orElse(null);
        return new DatasetView(
                d.name(), d.project(), d.description(), d.createdBy(), Instant.ofEpochMilli(d.createdAt()), latest);
    }

    private static DatasetVersionView versionView(Handle h, DatasetRow d, DatasetVersionRow v) {
        return versionView(d, v, RegistryFiles.of(h, RegistryFiles.DATASET, v.dataset(), v.version()));
    }

    private static DatasetVersionView versionView(DatasetRow d, DatasetVersionRow v, List<ArtifactRef> files) {
        return new DatasetVersionView(
                v.dataset(),
                v.version(),
                d.project(),
                files,
                files.stream().mapToLong(ArtifactRef::size).sum(),
                v.sourceRun(),
                v.sourceStep(),
                v.description(),
                v.createdBy(),
                Instant.ofEpochMilli(v.createdAt()));
    }
}
