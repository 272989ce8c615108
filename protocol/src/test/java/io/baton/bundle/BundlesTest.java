package io.baton.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BundlesTest {
    private static final BundleLimits LIMITS = new BundleLimits(1000, 10L << 20);

    @TempDir
    Path tmp;

    /**
     * A tar.gz whose first entry is a GNU long name ('L') or PAX header ('x') that declares {@code size} bytes and
     * holds them (one letter, so the archive stays small), then a file.
     */
    static byte[] hugeHeader(byte type, long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes)) {
            TarArchiveEntry header = new TarArchiveEntry("././@LongLink", type);
            header.setSize(size);
            byte[] record = new byte[512];
            header.writeEntryHeader(record);
            gz.write(record);
            byte[] chunk = new byte[1 << 16];
            java.util.Arrays.fill(chunk, (byte) 'a');
            String prefix = type == 'x' ? size + " path=" : "";
            byte[] first = prefix.getBytes(UTF_8);
            gz.write(first);
            for (long left = size - first.length; left > 0; left -= chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            gz.write(new byte[(int) ((512 - size % 512) % 512)]);
            TarArchiveEntry file = new TarArchiveEntry("x.txt");
            file.setSize(0);
            file.writeEntryHeader(record);
            gz.write(record);
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    @Test
    @org.junit.jupiter.api.Timeout(5)
    void aLongNameOrPaxHeaderLargerThanAnyNameIsRefusedBeforeItIsRead() throws Exception {
        for (byte type : new byte[] {TarConstants.LF_GNUTYPE_LONGNAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC}) {
            byte[] bundle = hugeHeader(type, 64L << 20);
            assertThat(bundle.length).isLessThan(1 << 20);
            assertThatThrownBy(() -> Bundles.inspect(in(bundle), LIMITS))
                    .isInstanceOf(BundleException.class)
                    .hasMessageContaining("at most");
            assertThatThrownBy(() -> Bundles.unpack(in(bundle), tmp.resolve("t" + type), LIMITS))
                    .isInstanceOf(BundleException.class);
        }
    }

    @Test
    void namesNoFileSystemTakesAreRefused() throws Exception {
        byte[] longPart = new Tar().file("a/" + "n".repeat(256) + "/b.txt", "x").gz();
        assertThatThrownBy(() -> Bundles.inspect(in(longPart), LIMITS))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("255 bytes");
        byte[] longPath = new Tar()
                .file(("d".repeat(200) + "/").repeat(20) + "f.txt", "x")
                .gz();
        assertThatThrownBy(() -> Bundles.inspect(in(longPath), LIMITS))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("path longer than");
        byte[] fine = new Tar()
                .file(("d".repeat(200) + "/").repeat(5) + "n".repeat(255), "x")
                .gz();
        assertThat(Bundles.unpack(in(fine), tmp.resolve("fine"), LIMITS).files())
                .isEqualTo(1);
    }

    @Test
    void unpacksFilesFoldersTheExecutableBitAndLinksThatStayInside() throws Exception {
        byte[] bundle = new Tar()
                .folder("src/")
                .file("README.md", "hello")
                .file("src/pkg/train.py", "print(1)\n")
                .file("bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
                .symlink("src/pkg/readme", "../../README.md")
                .hardLink("src/copy.md", "README.md")
                .gz();
        Path target = tmp.resolve("target");

        BundleSummary summary = Bundles.unpack(in(bundle), target, LIMITS);

        assertThat(target.resolve("README.md")).hasContent("hello");
        assertThat(target.resolve("src/pkg/train.py")).hasContent("print(1)\n");
        assertThat(target.resolve("bin/run.sh")).hasContent("#!/bin/sh\necho hi\n");
        assertThat(Files.getPosixFilePermissions(target.resolve("bin/run.sh")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target.resolve("src/pkg/train.py")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        Path link = target.resolve("src/pkg/readme");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../../README.md"));
        assertThat(link).hasContent("hello");
        assertThat(target.resolve("src/copy.md")).hasContent("hello");
        assertThat(summary).isEqualTo(new BundleSummary(4, 5 + 9 + 18 + 5));
        assertThat(Bundles.inspect(in(bundle), LIMITS)).isEqualTo(summary);
    }

    static Stream<Arguments> unsafeBundles() throws IOException {
        String outsideFile = System.getProperty("java.io.tmpdir") + "/baton-bundles-test-absolute.txt";
        return Stream.of(
                Arguments.of(
                        "an absolute path", new Tar().file(outsideFile, "x").gz()),
                Arguments.of("'../x'", new Tar().file("../x", "x").gz()),
                Arguments.of("'a/../../x'", new Tar().file("a/../../x", "x").gz()),
                Arguments.of("a '..' folder", new Tar().folder("../made/").gz()),
                Arguments.of(
                        "a link to /etc/passwd",
                        new Tar().symlink("passwd", "/etc/passwd").gz()),
                Arguments.of(
                        "a link to ../../outside",
                        new Tar()
                                .symlink("a/link", "../../outside")
                                .file("a/link/x", "x")
                                .gz()),
                Arguments.of(
                        "a link to the bundle's parent",
                        new Tar().symlink("up", "..").file("up/x", "x").gz()),
                Arguments.of(
                        "a hard link to a path outside",
                        new Tar().hardLink("h", "../secret.txt").gz()),
                Arguments.of(
                        "a hard link to /etc/passwd",
                        new Tar().hardLink("h", "/etc/passwd").gz()),
                Arguments.of(
                        "a hard link to a file not in the bundle",
                        new Tar().hardLink("h", "missing.txt").gz()),
                Arguments.of(
                        "a character device",
                        new Tar().special("null", TarConstants.LF_CHR).gz()),
                Arguments.of(
                        "a block device",
                        new Tar().special("sda", TarConstants.LF_BLK).gz()),
                Arguments.of(
                        "a FIFO",
                        new Tar().special("pipe", TarConstants.LF_FIFO).gz()),
                // Each link checked alone stays inside; followed through the first one, the second leads out.
                Arguments.of(
                        "a link that leaves through a deeper link",
                        new Tar()
                                .folder("x/")
                                .symlink("a/b/c/s", "../../../x")
                                .symlink("a/b/c/s/t/l", "../../..")
                                .file("a/b/c/s/t/l/pwned/f.txt", "x")
                                .gz()),
                Arguments.of(
                        "a chain of links whose '..' climbs out",
                        new Tar()
                                .folder("d/e/")
                                .symlink("d/e/l", "..")
                                .symlink("d/m", "e/l/..")
                                .symlink("d/n", "m/..")
                                .file("d/n/pwned/f.txt", "x")
                                .gz()),
                Arguments.of(
                        "a link that a later link turns outward",
                        new Tar()
                                .folder("a/b/c/")
                                .symlink("early", "a/b/c/s/../../../../x")
                                .symlink("a/b/c/s", "../../../q")
                                .gz()),
                Arguments.of(
                        "a hard link through a link that leads out",
                        new Tar()
                                .folder("x/")
                                .symlink("a/b/c/s", "../../../x")
                                .symlink("a/b/c/s/t/l", "../../..")
                                .hardLink("h", "a/b/c/s/t/l/secret.txt")
                                .gz()));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("unsafeBundles")
    void refusesUnsafeBundlesAndWritesNothingOutsideTheTarget(String what, byte[] bundle) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("secret.txt"), "secret");
        Path target = work.resolve("code");
        Set<String> before = outside(target);

        assertThatThrownBy(() -> Bundles.unpack(in(bundle), target, LIMITS))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isFalse());
        assertThat(outside(target)).isEqualTo(before);
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), "baton-bundles-test-absolute.txt"))
                .doesNotExist();
        assertThatThrownBy(() -> Bundles.inspect(in(bundle), LIMITS))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isFalse());
    }

    @Test
    void refusesABodyThatIsNotGzip() {
        byte[] plain = "just some text, not a bundle".getBytes(UTF_8);
        assertThatThrownBy(() -> Bundles.unpack(in(plain), tmp.resolve("t"), LIMITS))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isFalse())
                .hasMessageContaining("gzip");
    }

    @Test
    void refusesAGzipOfSomethingThatIsNotTar() throws Exception {
        for (String garbage : List.of("hello world, not a tar", "x".repeat(600), "")) {
            byte[] gz = gzip(garbage.getBytes(UTF_8));
            assertThatThrownBy(() -> Bundles.unpack(in(gz), tmp.resolve("t"), LIMITS))
                    .as("gzip of %d bytes of garbage", garbage.length())
                    .isInstanceOfSatisfying(
                            BundleException.class, e -> assertThat(e.tooLarge()).isFalse());
            assertThatThrownBy(() -> Bundles.inspect(in(gz), LIMITS)).isInstanceOf(BundleException.class);
        }
    }

    @Test
    void refusesMoreFilesThanTheLimitAsTooLarge() throws Exception {
        Tar tar = new Tar();
        for (int i = 0; i < 4; i++) {
            tar.file("f" + i + ".txt", "x");
        }
        byte[] bundle = tar.gz();
        BundleLimits three = new BundleLimits(3, 1 << 20);

        assertThatThrownBy(() -> Bundles.inspect(in(bundle), three))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThatThrownBy(() -> Bundles.unpack(in(bundle), tmp.resolve("t"), three))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThat(Bundles.inspect(in(bundle), new BundleLimits(4, 1 << 20)).files())
                .isEqualTo(4);
    }

    @Test
    void refusesAFloodOfFoldersAndLinksAsTooLarge() throws Exception {
        Tar tar = new Tar().file("only.txt", "x");
        for (int i = 0; i < 20; i++) {
            tar.folder("d" + i + "/").symlink("l" + i, "only.txt");
        }
        byte[] bundle = tar.gz();

        assertThatThrownBy(() -> Bundles.inspect(in(bundle), new BundleLimits(10, 1 << 20)))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void refusesDeclaredSizesOverTheLimitAsTooLarge() throws Exception {
        byte[] bundle = new Tar()
                .file("a.bin", "a".repeat(600))
                .file("b.bin", "b".repeat(600))
                .gz();
        BundleLimits small = new BundleLimits(100, 1000);

        assertThatThrownBy(() -> Bundles.inspect(in(bundle), small))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThatThrownBy(() -> Bundles.unpack(in(bundle), tmp.resolve("t"), small))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThat(Bundles.inspect(in(bundle), new BundleLimits(100, 1200)).unpackedBytes())
                .isEqualTo(1200);
    }

    @Test
    void countsASparseFileAtTheSizeItUnpacksTo() throws Exception {
        // 5 bytes stored, 20 MiB once unpacked: the hole is written out as zeros.
        byte[] bundle = new Tar().sparse("hole.bin", 20L << 20, "hello").gz();
        assertThat(bundle.length).isLessThan(2048);

        assertThatThrownBy(() -> Bundles.inspect(in(bundle), new BundleLimits(100, 1 << 20)))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThatThrownBy(() -> Bundles.unpack(in(bundle), tmp.resolve("t"), new BundleLimits(100, 1 << 20)))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void countsEveryHardLinkAsACopyOfItsSource() throws Exception {
        // Unpacking copies a hard link's source: four links to 600 bytes write 3000 bytes.
        Tar tar = new Tar().file("big.bin", "x".repeat(600));
        for (int i = 0; i < 4; i++) {
            tar.hardLink("copy" + i, "big.bin");
        }
        byte[] bundle = tar.gz();

        assertThatThrownBy(() -> Bundles.inspect(in(bundle), new BundleLimits(100, 1000)))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.tooLarge()).isTrue());
        assertThat(Bundles.inspect(in(bundle), new BundleLimits(100, 3000))).isEqualTo(new BundleSummary(5, 3000));
    }

    @Test
    void packerRoundTripsThroughUnpackAndSkipsVcsAndCaches() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("project"));
        write(source.resolve("train.py"), "import os\n");
        write(source.resolve("pkg/model/net.py"), "class Net: pass\n");
        write(source.resolve("pkg/data.csv"), "a,b\n1,2\n");
        write(source.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(
                source.resolve("run.sh"),
                Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
        write(source.resolve(".git/config"), "[core]\n");
        write(source.resolve("__pycache__/train.cpython-311.pyc"), "junk");
        write(source.resolve("pkg/__pycache__/net.cpython-311.pyc"), "junk");
        write(source.resolve(".venv/bin/python"), "junk");
        write(source.resolve(".gitignore"), "*.pyc\n");
        ByteArrayOutputStream packed = new ByteArrayOutputStream();

        BundlePacker.pack(source, packed);
        Path target = tmp.resolve("unpacked");
        BundleSummary summary = Bundles.unpack(in(packed.toByteArray()), target, LIMITS);

        assertThat(files(target))
                .containsExactly(".gitignore", "pkg/data.csv", "pkg/model/net.py", "run.sh", "train.py");
        assertThat(summary.files()).isEqualTo(5);
        for (String name : files(target)) {
            assertThat(target.resolve(name)).hasSameBinaryContentAs(source.resolve(name));
        }
        assertThat(Files.getPosixFilePermissions(target.resolve("run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target.resolve("train.py")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void checkedNameNormalisesDotsAndSlashes() throws Exception {
        assertThat(Bundles.checkedName("./a//b/./c/")).isEqualTo("a/b/c");
        assertThat(Bundles.checkedName("./")).isEmpty();
        assertThatThrownBy(() -> Bundles.checkedName("a\\..\\b")).isInstanceOf(BundleException.class);
        assertThatThrownBy(() -> Bundles.checkedName("C:/Windows")).isInstanceOf(BundleException.class);
        assertThatThrownBy(() -> Bundles.checkedName("a/b/..")).isInstanceOf(BundleException.class);
    }

    /** Every path under {@code tmp} that is not inside {@code target}. */
    private Set<String> outside(Path target) throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(p -> !p.startsWith(target))
                    .map(p -> tmp.relativize(p).toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static ByteArrayInputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** A tar.gz written entry by entry, names and links exactly as given (as a hostile client could). */
    static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        Tar() throws IOException {
            tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar file(String name, String content) throws IOException {
            return file(name, content, 0644);
        }

        Tar file(String name, String content, int mode) throws IOException {
            byte[] data = content.getBytes(UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
            entry.setMode(0100000 | mode);
            entry.setSize(data.length);
            return put(entry, data);
        }

        Tar folder(String name) throws IOException {
            return put(new TarArchiveEntry(name, TarConstants.LF_DIR, true), new byte[0]);
        }

        Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        Tar hardLink(String name, String target) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            entry.setLinkName(target);
            return put(entry, new byte[0]);
        }

        Tar special(String name, byte type) throws IOException {
            return put(new TarArchiveEntry(name, type, true), new byte[0]);
        }

        /** A PAX (GNU 0.1) sparse file: {@code data} stored at the end of a file of {@code realSize} bytes. */
        Tar sparse(String name, long realSize, String data) throws IOException {
            byte[] stored = data.getBytes(UTF_8);
            byte[] pax = (paxRecord("GNU.sparse.size=" + realSize)
                            + paxRecord("GNU.sparse.numblocks=1")
                            + paxRecord("GNU.sparse.map=" + (realSize - stored.length) + "," + stored.length))
                    .getBytes(UTF_8);
            TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/" + name, TarConstants.LF_PAX_EXTENDED_HEADER_LC);
            header.setSize(pax.length);
            put(header, pax);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(stored.length);
            return put(entry, stored);
        }

        byte[] gz() throws IOException {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        }

        private Tar put(TarArchiveEntry entry, byte[] data) throws IOException {
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        }

        /** "LEN key=value\n", where LEN counts the whole record, itself included. */
        private static String paxRecord(String keyValue) {
            int length = keyValue.length() + 2;
            length += Integer.toString(length).length();
            if (Integer.toString(length).length()
                    != Integer.toString(length - 1).length()) {
                length++;
            }
            return length + " " + keyValue + "\n";
        }
    }
}
