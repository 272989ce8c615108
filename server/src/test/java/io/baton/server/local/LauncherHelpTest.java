package io.baton.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./baton help}: the launcher's usage, and nothing of its code. */
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
                .contains("./baton local", "./baton demo", "./baton worker", "./baton server", "./baton test")
                .doesNotContain("set -euo pipefail")
                .doesNotContain("#!");
        assertThat(out.lines().filter(l -> !l.isBlank()).toList())
                .allSatisfy(l -> assertThat(l).as("a line of the usage").doesNotMatch("^(set|export|cd|ROOT=).*"));
    }
}
