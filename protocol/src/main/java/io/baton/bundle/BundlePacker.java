package io.baton.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Packs a folder into a code bundle (tar.gz), skipping caches and VCS folders. Used by the demo and tests. */
public final class BundlePacker {
    private static final List<String> SKIPPED = List.of(".git", "__pycache__", ".venv", ".baton");

    private BundlePacker() {}

    public static void pack(Path dir, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out));
                Stream<Path> files = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path file : files.sorted().toList()) {
                Path relative = dir.relativize(file);
                if (relative.toString().isEmpty() || skipped(relative) || !Files.isRegularFile(file)) {
                    continue;
                }
                TarArchiveEntry entry =
                        new TarArchiveEntry(file.toFile(), relative.toString().replace('\\', '/'));
                entry.setMode(Files.isExecutable(file) ? 0755 : 0644);
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }
}
