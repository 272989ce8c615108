package io.baton.server.testing;

import io.baton.bundle.BundlePacker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Code bundles for tests: packed from files, or hand-made tar entries (for the unsafe ones). */
public final class Bundles {
    private Bundles() {}

    public static byte[] of(Map<String, String> files) throws IOException {
        Path dir = Files.createTempDirectory("bundle");
        for (var f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundlePacker.pack(dir, out);
        return out.toByteArray();
    }

    /** A tar.gz with one raw entry, as a hostile client could make it. */
    public static byte[] withEntry(TarArchiveEntry entry, String content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            TarArchiveEntry ok = new TarArchiveEntry("ok.txt");
            byte[] okBytes = "fine".getBytes(StandardCharsets.UTF_8);
            ok.setSize(okBytes.length);
            tar.putArchiveEntry(ok);
            tar.write(okBytes);
            tar.closeArchiveEntry();
            byte[] bytes = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
            if (entry.isFile()) {
                entry.setSize(bytes.length);
            }
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }
}
