package io.baton.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./baton help}: the launcher's usage, and nothing of its code; any other command goes to the CLI. */
class LauncherHelpTest {
    @Test
    void helpPrintsTheUsageAndNoLineOfTheScript() throws Exception {
        Path launcher = Path.of("../baton").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", launcher.toString(), "help")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(out)
                .contains(
                        "./baton local",
                        "./baton demo",
                        "./baton worker",
                        "./baton server",
                        "./baton test",
                        "./baton COMMAND")
                .doesNotContain("set -euo pipefail")
                .doesNotContain("#!");
        assertThat(out.lines().filter(l -> !l.isBlank()).toList())
                .allSatisfy(l -> assertThat(l).as("a line of the usage").doesNotMatch("^(set|export|cd|ROOT=).*"));
    }

    @Test
    void anyOtherCommandRunsTheCliInTheCallersFolder() throws Exception {
        Path launcher = Path.of("../baton").toAbsolutePath().normalize();
        Path elsewhere = Files.createTempDirectory("launcher-cli");
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "validate", "no-such.yaml")
                .directory(elsewhere.toFile())
                .redirectErrorStream(true);
        pb.environment().put("BATON_CLI_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // the CLI's usage error (exit 3) about the file it looked for in the caller's folder, not the checkout's
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).isEqualTo("baton: no-such.yaml: no such file\n");
    }
}
