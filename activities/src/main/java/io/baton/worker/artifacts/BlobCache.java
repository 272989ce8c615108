package io.baton.worker.artifacts;

import io.baton.common.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's checked copies of blobs ({@code $BATON_WORK_DIR/blobs/<sha256>}), which later steps' inputs are copied
 * from; a file not as it was left is hashed again (docs/architecture.md, "The worker").
 */
public final class BlobCache {
    private static final Logger log = LoggerFactory.getLogger(BlobCache.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

    /** Where a blob comes from when it is not here (or not right). */
    interface Source {
        void download(String sha256, Path target) throws IOException;
    }

    /** What a file looked like when its bytes were checked; null where the file system cannot say. */
    private record Stamp(long device, long inode, long size, FileTime modified, FileTime changed, int mode) {
        static Stamp of(Path file) throws IOException {
            Map<String, Object> a;
            try {
                a = Files.readAttributes(
                        file, "unix:dev,ino,size,lastModifiedTime,ctime,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return null; // no unix view: every use hashes the file again
            }
            return new Stamp(
                    (Long) a.get("dev"),
                    (Long) a.get("ino"),
                    (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"),
                    (FileTime) a.get("ctime"),
                    (Integer) a.get("mode"));
        }

        boolean regular() {
            return (mode & 0170000) == 0100000;
        }

        boolean readOnly() {
            return (mode & 0777) == 0444;
        }
    }

    /** Something done with a cached blob's file while it must stay the checked one. */
    public interface Use<E extends Exception> {
        void with(Path file) throws IOException, E;
    }

    private final Path folder;
    private final Source source;
    private final Map<String, Stamp> checked = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    BlobCache(Path folder, Source source) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.source = source;
        if (Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Uses the blob's checked file; fails (the attempt is tried again) when the file changed while it was used: its
     * bytes may not have been the checked ones.
     */
    <E extends Exception> void use(String sha256, Use<E> use) throws IOException, E {
        Path file = checked(sha256);
        Stamp before = checked.get(sha256);
        use.with(file);
        if (!Objects.equals(Stamp.of(file), before)) {
            checked.remove(sha256);
            throw new IOException(
                    "cached blob " + sha256 + " changed while it was read; it is checked again on the next" + " try");
        }
    }

    /** The blob's file, as checked: one stat when it is as it was left, else hashed again (fetched again if wrong). */
    Path checked(String sha256) throws IOException {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IOException("'" + sha256 + "' is not a sha256");
        }
        Path file = folder.resolve(sha256);
        synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
            Stamp known = checked.get(sha256);
            if (known != null && known.equals(stampIfPresent(file))) {
                return file;
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                if (check(sha256, file)) {
                    return file;
                }
                // changed by someone (a step, on the same user) since it was checked: never hand those bytes on
                log.warn(
                        "cached blob {} is not the blob it was (changed since it was checked); fetching it again",
                        sha256);
                Files.delete(file);
            }
            fetch(sha256, file);
            return file;
        }
    }

    /** The file's stamp; null when it is gone (deleted since it was checked) or cannot be stamped. */
    private static Stamp stampIfPresent(Path file) throws IOException {
        try {
            return Stamp.of(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void fetch(String sha256, Path file) throws IOException {
        Path partial = Files.createTempFile(folder, "download-", ".part");
        try {
            source.download(sha256, partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        if (!check(sha256, file)) {
            Files.deleteIfExists(file);
            throw new IOException("blob " + sha256 + " arrived with another sha256");
        }
    }

    /** Makes the file read-only and hashes it; true (and stamped) when its bytes are the blob's. */
    private boolean check(String sha256, Path file) throws IOException {
        checked.remove(sha256);
        Stamp before = Stamp.of(file);
        if (before != null && !before.regular()) {
            return false; // a link or a folder put in its place: it could point anywhere
        }
        if (before != null && !before.readOnly()) {
            Files.setPosixFilePermissions(file, READ_ONLY);
            before = Stamp.of(file);
        }
        boolean right = Hashing.sha256(file).equals(sha256);
        Stamp after = Stamp.of(file);
        if (!right || !Objects.equals(before, after)) {
            return false;
        }
        if (after != null) {
            checked.put(sha256, after);
        }
        return true;
    }
}
