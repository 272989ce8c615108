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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Datasets: named sets of files in versions made from an upload, a run step's outputs or stored blobs. */
public final class DatasetRegistry {
    private static final Logger log = LoggerFactory.getLogger(DatasetRegistry.class);
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

    /** Told of each new version once its transaction has committed (data triggers). */
    public interface VersionListener {
        void created(String project, String dataset, int version);
    }

    private final List<VersionListener> listeners = new CopyOnWriteArrayList<>();

    public void onNewVersion(VersionListener listener) {
        listeners.add(listener);
    }

    private Added told(Added added) {
        if (added.created()) {
            DatasetVersionView v = added.version();
            for (VersionListener l : listeners) {
                try {
                    l.created(v.project(), v.dataset(), v.version());
                } catch (RuntimeException e) {
                    log.warn("a listener of dataset {}/{} failed: {}", v.project(), v.dataset(), e.getMessage());
                }
            }
        }
        return added;
    }

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
                if (find(h, project, name).isPresent()) {
                    throw exists(project, name);
                }
                h.attach(DatasetDao.class)
                        .insert(project, name, description, caller.name(), caller.userId(), System.currentTimeMillis());
                return view(h, require(h, project, name, false));
            });
        } catch (UnableToExecuteStatementException e) {
            throw exists(project, name);
        }
    }

    private static BatonException exists(String project, String name) {
        return BatonException.conflict("a dataset named '" + name + "' exists already in project '" + project + "'");
    }

    /** The 404 of a dataset that is not there, or that the caller may not know of. */
    public static BatonException notFound(String project, String name) {
        return BatonException.notFound(
                "no dataset named '" + abbreviate(name, API) + "' in project '" + abbreviate(project, API) + "'");
    }

    public DatasetView dataset(String project, String name) {
        return jdbi.withHandle(h -> view(h, require(h, project, name, false)));
    }

    /** Datasets by project and name, in {@code projects} (null for every project). */
    public Page<DatasetView> datasets(List<String> projects, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        RegistryPages.After after = RegistryPages.after(cursor);
        if (projects != null && projects.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        return jdbi.withHandle(h -> {
            DatasetDao dao = h.attach(DatasetDao.class);
            List<DatasetRow> rows = projects == null
                    ? dao.page(after.project(), after.name(), n + 1)
                    : dao.pageIn(projects, after.project(), after.name(), n + 1);
            List<DatasetView> items =
                    rows.stream().limit(n).map(r -> view(h, r)).toList();
            return new Page<>(
                    items,
                    rows.size() > n
                            ? RegistryPages.cursor(
                                    items.get(n - 1).project(), items.get(n - 1).name())
                            : null);
        });
    }

    /** A version from a run step's outputs or from stored blobs (a JSON request). */
    public Added add(String project, String name, DatasetVersionRequest request, Caller caller) {
        if (request == null || (request.run() == null) == (request.files() == null)) {
            throw BatonException.badRequest("send either 'run' and 'step' (and optionally 'path'), whose outputs become"
                    + " the version, or 'files' ([{\"path\", \"sha256\"}] of stored blobs); or upload a tar.gz with"
                    + " Content-Type application/gzip");
        }
        String description = Names.description(request.description());
        if (request.files() != null) {
            List<ArtifactRef> files = storedFiles(request.files());
            return told(jdbi.inTransaction(
                    h -> addFiles(h, require(h, project, name, true), files, null, null, description, caller)));
        }
        if (request.step() == null) {
            throw BatonException.badRequest("'step' is required with 'run': the step whose outputs become the version");
        }
        return told(jdbi.inTransaction(h -> {
            DatasetRow d = require(h, project, name, true);
            RunOutputs.Source source = RunOutputs.of(h, request.run(), request.step(), request.path(), "dataset");
            if (!source.run().project().equals(d.project())) {
                throw BatonException.badRequest("run " + source.run().id() + " belongs to project '"
                        + source.run().project() + "', dataset '" + name + "' to project '" + d.project()
                        + "': a dataset's versions come from runs of its own project");
            }
            return addFiles(h, d, source.files(), source.run().id(), request.step(), description, caller);
        }));
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
    public Added upload(String project, String name, InputStream body, String description, Caller caller)
            throws IOException {
        Names.description(description);
        jdbi.withHandle(h -> require(h, project, name, false)); // before reading a large body for nothing
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
            return told(jdbi.inTransaction(
                    h -> addFiles(h, require(h, project, name, true), files, null, null, description, caller)));
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
            Handle h,
            DatasetRow d,
            List<ArtifactRef> files,
            String run,
            String step,
            String description,
            Caller caller) {
        DatasetDao dao = h.attach(DatasetDao.class);
        String content = RegistryFiles.contentSha256(files);
        Optional<Integer> same = dao.versionWithContent(d.project(), d.name(), content);
        if (same.isPresent()) {
            return new Added(versionView(h, d, requireVersion(h, d.project(), d.name(), same.get())), false);
        }
        int version = dao.nextVersion(d.project(), d.name());
        dao.insertVersion(
                d.project(),
                d.name(),
                version,
                content,
                run,
                step,
                description,
                caller.name(),
                caller.userId(),
                System.currentTimeMillis());
        RegistryFiles.insert(h, RegistryFiles.DATASET, d.project(), d.name(), version, files);
        return new Added(versionView(h, d, requireVersion(h, d.project(), d.name(), version)), true);
    }

    public Page<DatasetVersionView> versions(String project, String name, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            DatasetRow d = require(h, project, name, false);
            List<DatasetVersionRow> rows = h.attach(DatasetDao.class).versionsBefore(project, name, before, n + 1);
            List<DatasetVersionRow> page = rows.stream().limit(n).toList();
            Map<Integer, List<ArtifactRef>> files = RegistryFiles.ofVersions(
                    h,
                    RegistryFiles.DATASET,
                    d.project(),
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

    public DatasetVersionView version(String project, String name, int version) {
        return jdbi.withHandle(
                h -> versionView(h, require(h, project, name, false), requireVersion(h, project, name, version)));
    }

    /**
     * The files of {@code dataset://[project/]name/3} or {@code ...@latest} in {@code project}, for a run's input;
     * a 400 when there is no such version.
     */
    public ModelRegistry.Resolved resolve(String project, String name, Long version) {
        String shown = project + "/" + name;
        return jdbi.withHandle(h -> {
            find(h, project, name).orElseThrow(() -> BatonException.badRequest("there is no dataset '" + shown + "'"));
            DatasetDao dao = h.attach(DatasetDao.class);
            Integer v = version != null
                    ? Integer.valueOf(version.intValue())
                    : dao.latestVersion(project, name).orElse(null);
            if (v == null || dao.findVersion(project, name, v).isEmpty()) {
                throw BatonException.badRequest(
                        v == null
                                ? "dataset '" + shown + "' has no versions yet"
                                : "dataset '" + shown + "' has no version " + v);
            }
            return new ModelRegistry.Resolved(
                    RegistryFiles.of(h, RegistryFiles.DATASET, project, name, v), "dataset:" + shown + "/" + v);
        });
    }

    private static Optional<DatasetRow> find(Handle h, String project, String name) {
        return h.attach(DatasetDao.class).find(project, name);
    }

    /** A dataset named in a path: 404 when absent; locked for the transaction when {@code forUpdate}. */
    private static DatasetRow require(Handle h, String project, String name, boolean forUpdate) {
        DatasetDao dao = h.attach(DatasetDao.class);
        return (forUpdate ? dao.lock(project, name) : dao.find(project, name))
                .orElseThrow(() -> notFound(project, name));
    }

    private static DatasetVersionRow requireVersion(Handle h, String project, String name, int version) {
        return h.attach(DatasetDao.class)
                .findVersion(project, name, version)
                .orElseThrow(() -> BatonException.notFound("dataset '" + name + "' has no version " + version));
    }

    private static DatasetView view(Handle h, DatasetRow d) {
        Integer latest =
                h.attach(DatasetDao.class).latestVersion(d.project(), d.name()).orElse(null);
        return new DatasetView(
                d.name(),
                d.project(),
                d.description(),
                d.createdBy(),
                Instant.ofEpochMilli(d.createdAt()),
                latest,
                d.createdById());
    }

    private static DatasetVersionView versionView(Handle h, DatasetRow d, DatasetVersionRow v) {
        return versionView(d, v, RegistryFiles.of(h, RegistryFiles.DATASET, d.project(), v.dataset(), v.version()));
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
                Instant.ofEpochMilli(v.createdAt()),
                v.createdById());
    }
}
