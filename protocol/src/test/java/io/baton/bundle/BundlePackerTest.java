package io.baton.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link BundlePacker} puts in a bundle: the fixed skips, then .gitignore and .batonignore as git reads them. */
class BundlePackerTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void skipsCachesAndVcsFoldersEverywhere() throws Exception {
        write("train.py", "x");
        write(".git/config", "x");
        write(".hg/x", "x");
        write("sub/node_modules/a.js", "x");
        write("venv/bin/python", "x");
        write("pkg/__pycache__/a.pyc", "x");
        write("pkg/b.pyc", "x");
        write("nb/.ipynb_checkpoints/a.ipynb", "x");

        assertThat(BundlePacker.files(dir)).containsExactly("train.py");
    }

    @Test
    void honoursGitignoreSyntax() throws Exception {
        write(".gitignore", """
                # comment

                *.log
                !keep.log
                build/
                /data.csv
                docs/**/*.tmp
                a?c.txt
                [xy].bin
                """);
        write("keep.log", "x");
        write("drop.log", "x");
        write("sub/drop.log", "x");
        write("build/out.o", "x");
        write("sub/build/out.o", "x");
        write("build.txt", "x");
        write("data.csv", "x");
        write("sub/data.csv", "x");
        write("docs/a/b/c.tmp", "x");
        write("docs/c.tmp", "x");
        write("docs/c.md", "x");
        write("abc.txt", "x");
        write("abbc.txt", "x");
        write("x.bin", "x");
        write("z.bin", "x");

        assertThat(BundlePacker.files(dir))
                .containsExactly(
                        ".gitignore", "abbc.txt", "build.txt", "docs/c.md", "keep.log", "sub/data.csv", "z.bin");
    }

    @Test
    void nestedFilesApplyBeneathTheirFolderAndBatonignoreComesLast() throws Exception {
        write(".gitignore", "*.npz\nsecret.txt\n");
        write(".batonignore", "!model.npz\nnotebooks/\n");
        write("model.npz", "x");
        write("other.npz", "x");
        write("secret.txt", "x");
        write("notebooks/a.ipynb", "x");
        write("pkg/.gitignore", "/local.cfg\n!secret.txt\n");
        write("pkg/local.cfg", "x");
        write("pkg/deep/local.cfg", "x");
        write("pkg/secret.txt", "x");
        write("local.cfg", "x");

        assertThat(BundlePacker.files(dir))
                .containsExactly(
                        ".batonignore",
                        ".gitignore",
                        "local.cfg",
                        "model.npz",
                        "pkg/.gitignore",
                        "pkg/deep/local.cfg",
                        "pkg/secret.txt");
    }

    @Test
    void anIgnoredFolderCannotBeReincludedFrom() throws Exception {
        write(".gitignore", "out/\n!out/keep.txt\n");
        write("out/keep.txt", "x");
        write("a.txt", "x");

        assertThat(BundlePacker.files(dir)).containsExactly(".gitignore", "a.txt");
    }

    @Test
    void packsTheSameBytesEveryTimeWithLinksAsLinks() throws Exception {
        write("a.txt", "hello");
        write("sub/b.txt", "b");
        Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("a.txt"));

        byte[] first = packed();
        Files.setLastModifiedTime(dir.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(12345));
        byte[] second = packed();

        assertThat(second).isEqualTo(first);
        List<String> entries = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(first)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                assertThat(e.getModTime().getTime()).isZero();
                entries.add(e.getName() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
            }
        }
        assertThat(entries).containsExactly("a.txt", "link.txt -> a.txt", "sub/b.txt");
    }

    private byte[] packed() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundlePacker.pack(dir, out);
        return out.toByteArray();
    }
}
