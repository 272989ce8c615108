package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link StepProcessTest}, with steps started by {@code baton-launch}: the one {@code ./baton} built
 * ({@code BATON_LAUNCHER}), else one compiled here from its source with the machine's C compiler.
 */
class StepProcessLauncherTest extends StepProcessTest {
    private static String launcher;

    @BeforeAll
    static void findOrBuildTheLauncher() throws Exception {
        launcher = StepProcess.launcher(System.getenv("BATON_LAUNCHER"));
        if (launcher == null) {
            launcher = compile();
        }
        assumeTrue(launcher != null, "no baton-launch and no C compiler to build one");
    }

    @Override
    String launcher() {
        return launcher;
    }

    @Test
    void theCommandLineIsTheLauncherWithTheSignalAndTheWorkersPidThenTheCommand() {
        assertThat(StepProcess.commandLine(List.of("python3", "train.py", " a "), "KILL", launcher)
                        .toStrings())
                .containsExactly(
                        launcher, "KILL", Long.toString(ProcessHandle.current().pid()), "python3", "train.py", " a ");
    }

    @Test
    void runsNothingWhenItsParentIsNotTheWorkerThatStartedIt() throws Exception {
        // the worker died before the parent-death signal was armed: its pid is no longer the launcher's parent
        Path marker = Files.createTempDirectory("launch").resolve("ran");
        Process p = new ProcessBuilder(launcher, "KILL", "1", "touch", marker.toString()).start();

        assertThat(p.waitFor()).isEqualTo(127);
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesABadSignalOrPidSayingWhatIsWrong() throws Exception {
        String parent = Long.toString(ProcessHandle.current().pid());
        Process badSignal = new ProcessBuilder(launcher, "NOPE", parent, "true").start();
        assertThat(badSignal.waitFor()).isEqualTo(127);
        assertThat(new String(badSignal.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("'NOPE' is not a signal");
        Process badPid = new ProcessBuilder(launcher, "KILL", "x1", "true").start();
        assertThat(badPid.waitFor()).isEqualTo(127);
        assertThat(new String(badPid.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("'x1' is not a pid");
    }

    /** baton-launch built from its source in a temporary folder, or null without a C compiler. */
    static String compile() throws IOException, InterruptedException {
        Path source = Path.of("src/main/c/baton-launch.c").toAbsolutePath();
        Path binary = Files.createTempDirectory("baton-launch").resolve("baton-launch");
        for (String compiler : List.of("cc", "gcc")) {
            for (List<String> flags : List.of(List.of("-static"), List.<String>of())) {
                List<String> command = new ArrayList<>(List.of(compiler, "-O2"));
                command.addAll(flags);
                command.addAll(List.of("-o", binary.toString(), source.toString()));
                try {
                    Process cc = new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    if (cc.waitFor() == 0) {
                        return binary.toString();
                    }
                } catch (IOException noCompiler) {
                    break;
                }
            }
        }
        return null;
    }
}
