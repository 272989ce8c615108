package io.baton.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads code bundles (tar.gz): the server inspects an upload, a worker unpacks it, both with the same safety rules
 * (docs/security.md, "Artifacts").
 */
public final class Bundles {
    private Bundles() {}

    public static BundleSummary inspect(InputStream gzip, BundleLimits limits) throws BundleException, IOException {
        return walk(gzip, limits, null);
    }

    public static BundleSummary unpack(InputStream gzip, Path target, BundleLimits limits)
            throws BundleException, IOException {
        Files.createDirectories(target);
        return walk(gzip, limits, target.toRealPath());
    }

    private static BundleSummary walk(InputStream gzip, BundleLimits limits, Path root)
            throws BundleException, IOException {
        BundleTree tree = new BundleTree();
        int entries = 0;
        int files = 0;
        long bytes = 0;
        try (TarArchiveInputStream tar = open(gzip)) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar)) != null) {
                String name = checkedName(entry.getName());
                // Folders and links count too: a small archive must not unpack into millions of inodes either.
                if (++entries > limits.maxFiles()) {
                    throw BundleException.tooLarge(
                            "bundle has more than " + limits.maxFiles() + " files, folders and links");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw BundleException.unsafe("bundle entry '" + name
                            + "' is a device or FIFO; only files, folders and links are allowed");
                }
                if (name.isEmpty() && !entry.isDirectory()) {
                    throw BundleException.unsafe("bundle entry '" + entry.getName() + "' has no name");
                }
                String at = tree.place(name);
                if (entry.isSymbolicLink()) {
                    tree.symlink(at, name, entry.getLinkName());
                } else if (entry.isLink()) {
                    files++;
                    bytes += tree.hardLink(at, name, entry.getLinkName());
                } else if (entry.isFile()) {
                    files++;
                    // A sparse entry stores only its data; unpacked, its holes are written out too.
                    long size = Math.max(entry.getSize(), entry.getRealSize());
                    bytes += size;
                    tree.file(at, name, size);
                } else if (entry.isDirectory()) {
                    tree.folder(at, name);
                } else {
                    throw BundleException.unsafe("bundle entry '" + name + "' has an unsupported type");
                }
                if (bytes > limits.maxUnpackedBytes()) {
                    throw BundleException.tooLarge(
                            "bundle unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
                }
                if (root != null && !name.isEmpty()) {
                    write(tar, entry, name, root);
                }
            }
        }
        if (entries == 0) {
            throw BundleException.unsafe("the bundle holds nothing: it is an empty or a broken tar archive");
        }
        tree.checkLinks();
        return new BundleSummary(files, bytes);
    }

    private static TarArchiveInputStream open(InputStream gzip) throws BundleException, IOException {
        try {
            return new BoundedTarInputStream(new GzipCompressorInputStream(new BufferedInputStream(gzip)));
        } catch (IOException e) {
            throw BundleException.unsafe("the body is not a gzip-compressed tar archive (" + e.getMessage() + ")");
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws BundleException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw BundleException.unsafe("the bundle is not a readable tar.gz archive (" + e.getMessage() + ")");
        }
    }

    /** NAME_MAX of Linux file systems, in bytes. */
    static final int MAX_NAME_BYTES = 255;
    /** PATH_MAX (4096 with its NUL) less room for the folder a bundle or dataset is unpacked in. */
    static final int MAX_PATH_BYTES = 3840;

    /**
     * Normalises "./a/b/" to "a/b" and refuses absolute names, ".." anywhere, and names no file system takes (a part
     * over 255 bytes, a whole over {@link #MAX_PATH_BYTES}), which would fail every unpacking of an accepted archive.
     */
    static String checkedName(String raw) throws BundleException {
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw BundleException.unsafe(
                    "bundle entry '" + shortened(raw) + "' has a path longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*") || raw.contains("\\")) {
            throw BundleException.unsafe("bundle entry '" + raw + "' has an absolute path; entries must be relative");
        }
        StringBuilder clean = new StringBuilder();
        for (String part : raw.split("/")) {
            if (part.equals("..")) {
                throw BundleException.unsafe(
                        "bundle entry '" + raw + "' contains '..'; entries must stay inside the bundle");
            }
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.indexOf('\0') >= 0) {
                throw BundleException.unsafe("bundle entry '" + raw + "' has a NUL character in its name");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw BundleException.unsafe(
                        "bundle entry '" + shortened(raw) + "' has a file or folder name longer than " + MAX_NAME_BYTES
                                + " bytes, more than a file system allows");
            }
            if (clean.length() > 0) {
                clean.append('/');
            }
            clean.append(part);
        }
        return clean.toString();
    }

    private static String shortened(String name) {
        return name.length() <= 100 ? name : name.substring(0, 100) + "...";
    }

    private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, String name, Path root)
            throws BundleException, IOException {
        Path path = placeOnDisk(name, root);
        if (entry.isDirectory()) {
            Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Path source = realPathInside(root.resolve(checkedName(entry.getLinkName())), root, name);
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw BundleException.unsafe("bundle hard link '" + name + "' names '" + entry.getLinkName()
                        + "', which is not a file before it");
            }
            Files.copy(source, path, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(path);
            try (OutputStream out = Files.newOutputStream(path)) {
                tar.transferTo(out);
            }
            if ((entry.getMode() & 0100) != 0) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(path));
                perms.add(PosixFilePermission.OWNER_EXECUTE);
                Files.setPosixFilePermissions(path, perms);
            }
        }
    }

    /**
     * The entry's path on disk, its folders made one at a time, each checked to lie inside {@code root} before
     * anything is made in it: a link unpacked earlier must not carry a later entry, not even a folder, outside.
     */
    private static Path placeOnDisk(String name, Path root) throws BundleException, IOException {
        Path folder = root;
        String[] parts = name.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            Path next = folder.resolve(parts[i]);
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(next);
            }
            folder = realPathInside(next, root, name);
            if (!Files.isDirectory(folder)) {
                throw BundleException.unsafe("bundle entry '" + name + "' lies under a file");
            }
        }
        return folder.resolve(parts[parts.length - 1]);
    }

    private static Path realPathInside(Path path, Path root, String name) throws BundleException, IOException {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw BundleException.unsafe("bundle entry '" + name + "' goes through a link that leads nowhere");
        }
        if (!real.startsWith(root)) {
            throw BundleException.unsafe(
                    "bundle entry '" + name + "' would be written outside the bundle through a link");
        }
        return real;
    }
}
