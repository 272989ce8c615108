package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker image's entrypoint, run without Docker: a fake {@code java} on PATH shows what it would start. */
class WorkerEntrypointTest {
    private static final Path ENTRYPOINT =
            Path.of("../worker-image/entrypoint.sh").toAbsolutePath().normalize();

    private record Result(int exit, String output) {}

    private static Result run(Path fakeBin, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", ENTRYPOINT.toString()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", fakeBin + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static Path fakeJava(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"java $*\"\necho \"token=$BATON_TOKEN pools=$BATON_POOLS\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void startsTheWorkerJarWithItsConfigurationFromTheEnvironment(@TempDir Path dir) throws Exception {
        Result r = run(
                fakeJava(dir),
                Map.of(
                        "BATON_SERVER",
                        "http://baton:8080",
                        "BATON_TOKEN",
                        "bt_x",
                        "BATON_TEMPORAL",
                        "temporal:7233",
                        "BATON_POOLS",
                        "gpu",
                        "BATON_HOME",
                        "/opt/baton"));
        assertThat(r.exit()).isZero();
        assertThat(r.output())
                .contains("-jar /opt/baton/baton-worker.jar /opt/baton/worker.yml")
                .contains("token=bt_x pools=gpu");
    }

    @Test
    void refusesToStartWithoutTheServerTheTokenOrTemporal(@TempDir Path dir) throws Exception {
        Path bin = fakeJava(dir);
        Result noToken = run(bin, Map.of("BATON_SERVER", "http://baton:8080", "BATON_TEMPORAL", "temporal:7233"));
        assertThat(noToken.exit()).isNotZero();
        assertThat(noToken.output()).contains("BATON_TOKEN").doesNotContain("java -jar");
        Result noServer = run(bin, Map.of("BATON_TOKEN", "bt_x", "BATON_TEMPORAL", "temporal:7233"));
        assertThat(noServer.output()).contains("BATON_SERVER");
        Result noTemporal = run(bin, Map.of("BATON_TOKEN", "bt_x", "BATON_SERVER", "http://baton:8080"));
        assertThat(noTemporal.output()).contains("BATON_TEMPORAL");
    }
}
