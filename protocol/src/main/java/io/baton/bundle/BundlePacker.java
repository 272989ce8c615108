package io.baton.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Packs a folder into a code bundle (tar.gz): caches and VCS folders skipped, {@code .gitignore} and {@code
 * .batonignore} honoured, links kept as links, entries sorted with mtime 0 so that a folder always packs the same.
 */
public final class BundlePacker {
    private static final Set<String> SKIPPED =
            Set.of(".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".ipynb_checkpoints");

    private BundlePacker() {}

    public static void pack(Path dir, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String name : files(dir)) {
                Path file = dir.resolve(name);
                TarArchiveEntry entry;
                if (Files.isSymbolicLink(file)) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    entry.setLinkName(Files.readSymbolicLink(file).toString());
                    entry.setMode(0777);
                } else {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(Files.size(file));
                    entry.setMode(Files.isExecutable(file) ? 0755 : 0644);
                }
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                if (!entry.isSymbolicLink()) {
                    Files.copy(file, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    /** The paths (with '/') of the files and links that {@link #pack} puts in the bundle, sorted. */
    public static List<String> files(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        walk(dir, "", IgnoreRules.none(), found);
        found.sort(null);
        return found;
    }

    private static void walk(Path folder, String base, IgnoreRules inherited, List<String> found) throws IOException {
        IgnoreRules rules = inherited.enter(folder, base);
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String path = base.isEmpty() ? name : base + "/" + name;
            boolean link = Files.isSymbolicLink(child);
            boolean folderChild = !link && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
            if (SKIPPED.contains(name) || name.endsWith(".pyc") || rules.ignored(path, folderChild)) {
                continue;
            }
            if (folderChild) {
                walk(child, path, rules, found);
            } else if (link || Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                found.add(path);
            }
        }
    }
}
