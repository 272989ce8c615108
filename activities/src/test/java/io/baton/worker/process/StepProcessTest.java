package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.worker.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps started by util-linux setpriv and setsid; {@link StepProcessLauncherTest} runs the same tests with
 * {@code baton-launch}.
 */
class StepProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** What starts the steps: null for setpriv and setsid. */
    String launcher() {
        return null;
    }

    @TempDir
    Path tmp;

    private Path pidDir;
    private PidRegistry pids;
    private final List<StepProcess> started = new ArrayList<>();
    private final List<Long> children = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void registry() throws IOException {
        pidDir = tmp.resolve("pids");
        pids = new PidRegistry(pidDir);
    }

    @AfterEach
    void endEverythingStarted() {
        started.forEach(p -> p.terminate(Duration.ZERO));
        children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void passesStdoutAndStderrToTheirStreamsAndReturnsTheExitCode() throws Exception {
        StepProcess p = start("sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).isEqualTo(3);
        assertThat(text(out)).isEqualTo("out\n");
        assertThat(text(err)).isEqualTo("err\n");
    }

    @Test
    void passesArgumentsUnchangedAsSingleArgumentsAndNeverThroughAShell() throws Exception {
        List<String> args = List.of(
                "$(touch X)",
                "a;touch X",
                "`touch X`",
                "a | touch X",
                "line one\nline two",
                " spaces around ",
                "",
                "\t",
                "'single'",
                "\"double\"",
                "${HOME}",
                "*",
                "back\\slash",
                "--flag=a b");
        List<String> command =
                new ArrayList<>(List.of("python3", "-c", "import sys, json; print(json.dumps(sys.argv[1:]))"));
        command.addAll(args);

        StepProcess p = start(command);

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).as("stderr: %s", text(err)).isZero();
        List<String> received = new ObjectMapper().readValue(text(out), new TypeReference<>() {});
        assertThat(received).containsExactlyElementsOf(args);
        assertThat(tmp.resolve("X")).doesNotExist();
    }

    @Test
    void runsAsTheLeaderOfItsOwnProcessGroupAndSession() throws Exception {
        StepProcess p = start("sleep", "300");

        // setsid runs a moment after the start returns: the step's command is in its own session from then on
        Eventually.await(
                "the command in a session of its own",
                PATIENCE,
                () -> Procs.running(p.pid()) && Procs.session(p.pid()) == p.pid());
        assertThat(Procs.processGroup(p.pid())).isEqualTo(p.pid());
        assertThat(Procs.processGroup(p.pid()))
                .isNotEqualTo(Procs.processGroup(ProcessHandle.current().pid()));
    }

    @Test
    void runsWithKillAsItsParentDeathSignal() throws Exception {
        StepProcess p = start(
                "python3",
                "-c",
                "import ctypes; value = ctypes.c_int(); "
                        + "ctypes.CDLL(None).prctl(2, ctypes.byref(value)); print(value.value)"); // 2: PR_GET_PDEATHSIG

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).as("stderr: %s", text(err)).isZero();
        assertThat(text(out).trim()).isEqualTo("9");
    }

    @Test
    void recordsItsProcessGroupUntilForgotten() throws Exception {
        StepProcess p = start("sleep", "300");

        Path record = pidDir.resolve(Long.toString(p.pid()));
        assertThat(record).hasContent(Long.toString(Procs.startTicks(p.pid())));
        p.forget();
        assertThat(record).doesNotExist();
    }

    @Test
    void terminateEndsTheProcessAndAChildItStartedInTheBackground() throws Exception {
        StepProcess p = start("bash", "-c", "sleep 300 & echo $! > child.pid; sleep 300");
        long child = child();
        assertThat(Procs.running(child)).isTrue();

        long begin = System.nanoTime();
        p.terminate(Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(System.nanoTime() - begin))
                .as("TERM is enough; no wait for the grace period")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(Procs.running(p.pid())).isFalse();
        assertThat(Procs.running(child)).isFalse();
        assertThat(p.waitFor(PATIENCE)).isTrue();
    }

    @Test
    void terminateAtOnceAfterTheStartLeavesNothingRunning() throws Exception {
        // the signal may come before setsid has made the step's group: terminate waits for the group, so neither the
        // command nor its child outlives it
        for (int i = 0; i < 10; i++) {
            Path childFile = tmp.resolve("child.pid");
            Files.deleteIfExists(childFile);
            StepProcess p = start("bash", "-c", "sleep 300 & echo $! > child.pid; sleep 300");

            long begin = System.nanoTime();
            p.terminate(Duration.ofSeconds(5));

            assertThat(Duration.ofNanos(System.nanoTime() - begin))
                    .as("the TERM reached the group: no wait for the grace")
                    .isLessThan(Duration.ofSeconds(4));
            assertThat(p.waitFor(PATIENCE)).isTrue();
            assertThat(Procs.running(p.pid())).isFalse();
            if (Files.exists(childFile) && !Files.readString(childFile).isBlank()) {
                long child = Long.parseLong(Files.readString(childFile).trim());
                children.add(child);
                assertThat(Procs.running(child))
                        .as("child %d of attempt %d", child, i)
                        .isFalse();
            }
            p.forget();
        }
    }

    @Test
    void terminateKillsAProcessThatIgnoresTermOnceTheGracePeriodIsOver() throws Exception {
        StepProcess p = start("bash", "-c", "trap '' TERM; sleep 300 & echo $! > child.pid; wait");
        long child = child();

        long begin = System.nanoTime();
        p.terminate(Duration.ofMillis(1500));

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(Procs.running(p.pid())).isFalse();
        assertThat(Procs.running(child)).isFalse();
        assertThat(p.waitFor(PATIENCE)).isTrue();
    }

    @Test
    void terminateAlsoEndsAChildThatStartedASessionOfItsOwn() throws Exception {
        // setsid takes the child out of the step's process group; it is found through its parent.
        StepProcess p = start("bash", "-c", "setsid sleep 300 & echo $! > child.pid; sleep 300");
        long child = child();
        Eventually.await(
                "the child in a session of its own",
                PATIENCE,
                () -> Procs.running(child) && Procs.session(child) == child);

        p.terminate(Duration.ofSeconds(5));

        assertThat(Procs.running(p.pid())).isFalse();
        assertThat(Procs.running(child)).isFalse();
    }

    @Test
    void killLeftoversEndsABackgroundChildThatStillHoldsStdout() throws Exception {
        StepProcess p = start("bash", "-c", "sleep 300 & echo $! > child.pid; echo leader done");
        long child = child();
        Eventually.await("the leader to exit", PATIENCE, p::leaderExited);
        // The child still runs, and still holds the output. Whether the output has ended is up to the JDK: when the
        // leader exits, its reaper takes what the pipe holds and closes the pipe's read end, unless the pump thread is
        // reading at that moment (then the output ends with the child). Either way, the step is over only once
        // killLeftovers has ended the child; the step's loop calls it once the leader has exited.
        assertThat(Procs.running(child)).isTrue();

        p.killLeftovers();

        assertThat(Procs.running(child)).isFalse();
        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).isZero();
        assertThat(text(out)).isEqualTo("leader done\n");
    }

    @Test
    void aCommandThatCannotRunEndsWithAnErrorInsteadOfHanging() throws Exception {
        StepProcess p = start("/nonexistent/command-for-baton-tests");

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).isNotZero();
        assertThat(text(err)).contains("/nonexistent/command-for-baton-tests");
    }

    /** The pid of the background child the test's script wrote to child.pid (and ended after the test). */
    private long child() {
        long pid = Procs.pidFrom(tmp.resolve("child.pid"));
        children.add(pid);
        return pid;
    }

    @Test
    void startFailsAtOnceWhenTheWorkingFolderIsMissing() {
        long begin = System.nanoTime();

        assertThatThrownBy(() -> StepProcess.start(List.of("true"), tmp.resolve("missing"), Map.of(), out, err, pids))
                .isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        assertThat(pidDir).isEmptyDirectory();
    }

    private StepProcess start(String... command) throws IOException {
        return start(List.of(command));
    }

    private StepProcess start(List<String> command) throws IOException {
        StepProcess p = StepProcess.start(
                command, tmp, Map.copyOf(System.getenv()), out, err, pids, "KILL", launcher(), List.of());
        started.add(p);
        return p;
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }
}
