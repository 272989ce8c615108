package io.baton.worker.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import io.baton.worker.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Python child processes with the worker's sitecustomize on their PYTHONPATH: block-buffered output that still
 * streams while the step runs, nothing lost at its end or across forks, and the step's own choices kept.
 */
class PythonOutputTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private PythonOutput output;
    private PidRegistry pids;
    private final List<StepProcess> started = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void install() throws IOException {
        output = PythonOutput.install(tmp.resolve("work"));
        pids = new PidRegistry(tmp.resolve("pids"));
        Files.createDirectories(tmp.resolve("step"));
    }

    @AfterEach
    void endEverythingStarted() {
        started.forEach(p -> p.terminate(Duration.ZERO));
    }

    @Test
    void aLinePrintedBeforeALongPauseArrivesWhileTheStepStillRuns() throws Exception {
        StepProcess p = python(Map.of(), "import time\nprint('before the pause')\ntime.sleep(60)");

        Eventually.await(
                "the line before the pause",
                Duration.ofSeconds(5),
                () -> text(out).contains("before the pause"));
        assertThat(p.leaderExited()).isFalse();
    }

    @Test
    void aHundredThousandLinesArriveWholeAndInOrderAndTheExitCodeStands() throws Exception {
        StepProcess p = python(Map.of(), "import sys\nfor i in range(100000): print(i)\nsys.exit(3)");

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).isEqualTo(3);
        List<String> lines = text(out).lines().toList();
        assertThat(lines).hasSize(100_000);
        for (int i = 0; i < lines.size(); i += 9_999) {
            assertThat(lines.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(text(err)).isEmpty();
    }

    @Test
    void whatCCodePrintsArrivesWhileTheStepRunsAndBeforeOsExit() throws Exception {
        StepProcess p = python(
                Map.of(),
                String.join(
                        "\n",
                        "import ctypes, os, sys, time",
                        "libc = ctypes.CDLL(None)",
                        "libc.printf(b'from C\\n')",
                        "time.sleep(60)"));

        Eventually.await(
                "the line C printed", Duration.ofSeconds(5), () -> text(out).contains("from C"));
        assertThat(p.leaderExited()).isFalse();

        StepProcess exiting =
                python(Map.of(), "import ctypes, os\nctypes.CDLL(None).printf(b'last words\\n')\nos._exit(0)");
        assertThat(exiting.waitFor(PATIENCE)).isTrue();
        assertThat(text(out)).contains("last words");
    }

    @Test
    void theRealStdoutIsFlushedUnderAWrapperThatDoesNot() throws Exception {
        StepProcess p = python(
                Map.of(),
                String.join(
                        "\n",
                        "import sys, time",
                        "class Tee:",
                        "    def __init__(self, out): self.out = out",
                        "    def write(self, text): return self.out.write(text)",
                        "    def flush(self): pass",
                        "sys.stdout = Tee(sys.__stdout__)",
                        "print('through the wrapper')",
                        "time.sleep(60)"));

        Eventually.await(
                "the line printed through the wrapper",
                Duration.ofSeconds(5),
                () -> text(out).contains("through the wrapper"));
        assertThat(p.leaderExited()).isFalse();
    }

    @Test
    void whatPoolWorkersPrintArrivesThoughThePoolEndsThemWithASignal() throws Exception {
        for (String method : List.of("fork", "spawn", "forkserver")) {
            Files.writeString(
                    tmp.resolve("step/pool.py"),
                    String.join(
                            "\n",
                            "import multiprocessing as mp, sys",
                            "def work(i):",
                            "    print('worker', i)",
                            "    return i",
                            "if __name__ == '__main__':",
                            "    mp.set_start_method(sys.argv[1])",
                            "    for round in range(3):",
                            "        with mp.Pool(3) as pool:",
                            "            pool.map(work, range(5))", // the pool's end terminates its workers (SIGTERM)
                            ""));
            out.reset();
            StepProcess p = python(Map.of(), List.of("pool.py", method));

            assertThat(p.waitFor(PATIENCE)).isTrue();
            assertThat(p.exitCode()).as(method + ": " + text(err)).isZero();
            assertThat(text(out).lines().filter(l -> l.startsWith("worker ")).count())
                    .as(method)
                    .isEqualTo(15);
        }
    }

    @Test
    void linesPrintedJustBeforeOsExitArrive() throws Exception {
        StepProcess p =
                python(Map.of(), "import os\nfor i in range(1000): print(i)\nprint('final', flush=False)\nos._exit(4)");

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).isEqualTo(4);
        List<String> lines = text(out).lines().toList();
        assertThat(lines).hasSize(1001).endsWith("final");
    }

    @Test
    void forkedChildrenPrintEverythingAndNothingHangs() throws Exception {
        // children forked all the time while the parent prints and the flusher runs: a child that inherited a held
        // lock would hang on its first print
        StepProcess p = python(
                Map.of(),
                String.join(
                        "\n",
                        "import multiprocessing as mp, os, time",
                        "def child(n):",
                        "    for i in range(200): print('child', n, i)",
                        "if __name__ == '__main__':",
                        "    mp.set_start_method('fork')",
                        "    end = time.monotonic() + 1.5",
                        "    n = 0",
                        "    while time.monotonic() < end:",
                        "        procs = [mp.Process(target=child, args=(n + k,)) for k in range(4)]",
                        "        for q in procs: q.start()",
                        "        for i in range(500): print('parent', n, i)",
                        "        for q in procs: q.join(20); assert q.exitcode == 0, q.exitcode",
                        "        n += 4",
                        "    print('children', n)"));

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(p.exitCode()).as(text(err)).isZero();
        List<String> lines = text(out).lines().toList();
        int children = Integer.parseInt(lines.get(lines.size() - 1).split(" ")[1]);
        assertThat(children).isGreaterThan(4);
        assertThat(lines.stream().filter(l -> l.startsWith("child ")).count()).isEqualTo(children * 200L);
        assertThat(lines.stream().filter(l -> l.startsWith("parent ")).count()).isEqualTo(children / 4 * 500L);
    }

    @Test
    void aRawForkDoesNotWriteTheParentsPendingOutputTwice() throws Exception {
        StepProcess p = python(
                Map.of(),
                String.join(
                        "\n",
                        "import os",
                        "print('once')",
                        "pid = os.fork()",
                        "if pid == 0:",
                        "    print('child')",
                        "else:",
                        "    os.waitpid(pid, 0)",
                        "    print('parent')"));

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(text(out).lines().toList()).containsExactly("once", "child", "parent");
    }

    @Test
    void anotherSitecustomizeOnThePathStillRuns() throws Exception {
        Path own = Files.createDirectories(tmp.resolve("own"));
        Files.writeString(own.resolve("sitecustomize.py"), "import builtins\nbuiltins.OWN_SITECUSTOMIZE = 42\n");

        StepProcess p = python(
                Map.of("PYTHONPATH", own.toString()),
                "import sitecustomize\nprint(OWN_SITECUSTOMIZE, sitecustomize.__file__)");

        assertThat(p.waitFor(PATIENCE)).isTrue();
        assertThat(text(out).lines().toList()).containsExactly("42 " + own.resolve("sitecustomize.py"));
    }

    @Test
    void theStepsOwnUnbufferedSettingIsKeptAndTheWorkersIsNot() {
        Map<String, String> env = new LinkedHashMap<>(Map.of("PYTHONUNBUFFERED", "1", "PYTHONPATH", "/opt/lib"));
        output.apply(env, Map.of());
        assertThat(env)
                .doesNotContainKey("PYTHONUNBUFFERED")
                .containsEntry("PYTHONPATH", tmp.resolve("work/python").toAbsolutePath() + ":/opt/lib");

        Map<String, String> given = Map.of("PYTHONUNBUFFERED", "1");
        Map<String, String> own = new LinkedHashMap<>(given);
        output.apply(own, given);
        assertThat(own).isEqualTo(given);
    }

    @Test
    void aStepInAnImageIsUnbufferedWithoutTheWorkersFolder() {
        Map<String, String> env = new LinkedHashMap<>(Map.of("PYTHONPATH", "/opt/lib"));
        output.apply(env, Map.of());
        output.applyInImage(env);
        assertThat(env).containsEntry("PYTHONPATH", "/opt/lib").containsEntry("PYTHONUNBUFFERED", "1");

        Map<String, String> bare = new LinkedHashMap<>();
        output.apply(bare, Map.of());
        output.applyInImage(bare);
        assertThat(bare).isEqualTo(Map.of("PYTHONUNBUFFERED", "1"));

        Map<String, String> own = new LinkedHashMap<>(Map.of("PYTHONUNBUFFERED", "0"));
        output.apply(own, Map.of("PYTHONUNBUFFERED", "0"));
        output.applyInImage(own);
        assertThat(own).isEqualTo(Map.of("PYTHONUNBUFFERED", "0"));
    }

    @Test
    void aWorkFolderThatCannotBeWrittenLeavesStepsUnbuffered() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        PythonOutput broken = PythonOutput.install(file);

        Map<String, String> env = new LinkedHashMap<>();
        broken.apply(env, Map.of());
        assertThat(env).isEqualTo(Map.of("PYTHONUNBUFFERED", "1"));
    }

    @Test
    void compilingAheadLeavesACompiledFileThatPythonUses() {
        output.compile(new LinkedHashMap<>(System.getenv()));

        assertThat(tmp.resolve("work/python/__pycache__")).isDirectoryContaining("glob:**/sitecustomize.*.pyc");
    }

    private StepProcess python(Map<String, String> given, String program) throws IOException {
        return python(given, List.of("-c", program));
    }

    private StepProcess python(Map<String, String> given, List<String> arguments) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("PYTHONPATH");
        env.putAll(given);
        output.apply(env, given);
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(arguments);
        StepProcess p = StepProcess.start(command, tmp.resolve("step"), env, out, err, pids, "KILL", null, List.of());
        started.add(p);
        return p;
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }
}
