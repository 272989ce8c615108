package io.baton.worker.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.baton.protocol.PythonEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real pythons: a fresh venv behind a script that counts how often it is started, and scripts that misbehave. */
class PythonEnvironmentsTest {
    @TempDir
    Path tmp;

    private Path bin;
    private Path starts;

    @BeforeEach
    void folders() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        starts = tmp.resolve("starts");
    }

    @Test
    void describesAPythonAgainOnlyWhenItsSitePackagesChange() throws Exception {
        Path venv = tmp.resolve("venv");
        run("python3", "-m", "venv", "--without-pip", venv.toString());
        python("echo started >> " + starts + "\nexec " + venv.resolve("bin/python3") + " \"$@\"");
        Path sitePackages = sitePackages(venv);
        PythonEnvironments pythons = new PythonEnvironments(Duration.ofSeconds(20));

        PythonEnvironment first = pythons.describe(env()).python();
        PythonEnvironment second = pythons.describe(env()).python();

        assertThat(first.executable()).isEqualTo(bin.resolve("python3").toString());
        assertThat(first.version()).matches("3\\.\\d+\\.\\d+.*");
        assertThat(first.packages()).isEmpty();
        assertThat(second).isEqualTo(first);
        assertThat(starts()).isEqualTo(1);

        Path distInfo = Files.createDirectories(sitePackages.resolve("fakepkg-1.2.3.dist-info"));
        Files.writeString(distInfo.resolve("METADATA"), "Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.2.3\n");

        assertThat(pythons.describe(env()).python().packages()).containsExactly("fakepkg==1.2.3");
        assertThat(starts()).isEqualTo(2);
        assertThat(pythons.describe(env()).python().packages()).containsExactly("fakepkg==1.2.3");
        assertThat(starts()).isEqualTo(2);

        Files.setLastModifiedTime(sitePackages, FileTime.from(Instant.now().minusSeconds(60)));
        pythons.describe(env());
        assertThat(starts()).isEqualTo(3);
    }

    @Test
    void theStepsPythonpathIsPartOfWhatIsDescribed() throws Exception {
        python("PATH='" + System.getenv("PATH") + "' exec python3 \"$@\""); // the test's own python3
        Path extra = Files.createDirectories(tmp.resolve("extra/otherpkg-0.1.dist-info"));
        Files.writeString(extra.resolve("METADATA"), "Metadata-Version: 2.1\nName: OtherPkg\nVersion: 0.1\n");
        PythonEnvironments pythons = new PythonEnvironments(Duration.ofSeconds(20));

        List<String> without = pythons.describe(env()).python().packages();
        List<String> with = pythons.describe(
                        env("PYTHONPATH", tmp.resolve("extra").toString()))
                .python()
                .packages();

        assertThat(without).doesNotContain("OtherPkg==0.1");
        assertThat(with).contains("OtherPkg==0.1");
    }

    @Test
    void listsThePackagesThatPipFreezeAllLists() throws Exception {
        Process pip = new ProcessBuilder("python3", "-m", "pip", "freeze", "--all")
                .redirectErrorStream(true)
                .start();
        List<String> frozen =
                new String(pip.getInputStream().readAllBytes()).lines().toList();
        assumeThat(pip.waitFor()).as("pip of python3: " + frozen).isZero();

        PythonEnvironment described = new PythonEnvironments(Duration.ofSeconds(20))
                .describe(Map.of("PATH", System.getenv("PATH")))
                .python();

        assertThat(described.packages()).containsExactlyInAnyOrderElementsOf(frozen);
    }

    @Test
    void aPythonThatHangsIsRecordedAsAProblemInTime() throws Exception {
        python("exec sleep 60");
        long start = System.nanoTime();

        PythonProbe.Result result = new PythonEnvironments(Duration.ofMillis(500)).describe(env());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(result.python()).isNull();
        assertThat(result.problem()).endsWith("python3 did not describe itself within 500 ms");
    }

    @Test
    void aPythonThatFailsIsRecordedAsAProblemWithItsLastWords() throws Exception {
        python("echo 'ImportError: no importlib.metadata' >&2\nexit 3");

        PythonProbe.Result result = new PythonEnvironments(Duration.ofSeconds(20)).describe(env());

        assertThat(result.python()).isNull();
        assertThat(result.problem()).contains("exited with code 3").endsWith("ImportError: no importlib.metadata");
    }

    @Test
    void noPythonOnThePathIsAProblem() {
        PythonProbe.Result result =
                new PythonEnvironments(Duration.ofSeconds(20)).describe(Map.of("PATH", bin.toString()));

        assertThat(result.python()).isNull();
        assertThat(result.problem()).isEqualTo("no python3 on the step's PATH");
    }

    /** The environment of a step whose PATH holds only {@code bin} (and what the scripts there need). */
    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":/usr/bin:/bin"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /** A {@code python3} in {@code bin}: a shell script with this body. */
    private void python(String body) throws IOException {
        Path script = bin.resolve("python3");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private int starts() throws IOException {
        return Files.exists(starts) ? Files.readAllLines(starts).size() : 0;
    }

    private static Path sitePackages(Path venv) throws IOException {
        try (Stream<Path> found = Files.list(venv.resolve("lib"))) {
            return found.findFirst().orElseThrow().resolve("site-packages");
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
