package io.baton.worker.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.worker.metrics.MetricLines;
import io.baton.worker.process.ContainerCommand;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import io.baton.worker.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baton's Python package as the worker installs it: a real step process imports {@code baton} from the worker's
 * folder with no install and uses its helpers; the step's own PYTHONPATH comes first; others cannot write it.
 */
class PythonPackageTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private PythonPackage installed;
    private Workspace workspace;

    @BeforeEach
    void install() throws IOException {
        installed = PythonPackage.install(tmp.resolve("work"));
        workspace =
                Workspace.of(tmp.resolve("work"), "run-1", "train[lr=0.1]", 2).create();
    }

    @Test
    void everyModuleOfThePackageIsInTheWorkersJar() throws IOException {
        Path source = Path.of("..", "python", "baton");
        try (Stream<Path> files = Files.list(source)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")))
                    .containsExactlyInAnyOrderElementsOf(PythonPackage.MODULES);
        }
        for (String module : PythonPackage.MODULES) {
            assertThat(installed.folder().resolve("baton").resolve(module))
                    .hasSameTextualContentAs(source.resolve(module));
        }
    }

    @Test
    void aStepImportsBatonWithoutAnInstallAndUsesItsHelpers() throws Exception {
        Files.writeString(workspace.parametersFile(), "{\"lr\": 0.1, \"epochs\": 3, \"name\": \"a b\"}");
        Files.createDirectories(workspace.inputs().resolve("data/sub"));
        Files.writeString(workspace.inputs().resolve("data/b.csv"), "b");
        Files.writeString(workspace.inputs().resolve("data/sub/a.csv"), "a");
        Files.createDirectories(workspace.inputs().resolve("models/train[lr=0.1]"));
        Files.writeString(workspace.inputs().resolve("models/train[lr=0.1]/model.pkl"), "m");

        Result step = python(
                Map.of(),
                String.join(
                        "\n",
                        "import baton, json",
                        "p = baton.parameters()",
                        "data = [str(x.relative_to(baton.input_dir('data'))) for x in baton.inputs('data')]",
                        "models = [x.parent.name for x in baton.inputs('models')]",
                        "(baton.output_dir() / 'out.txt').write_text('done')",
                        "(baton.checkpoint_dir() / 'ck').write_text('1')",
                        "baton.log_metrics(epoch=2, loss=0.25, accuracy=1)",
                        "try:",
                        "    baton.inputs('missing')",
                        "except FileNotFoundError as e:",
                        "    missing = str(e)",
                        "print('facts', json.dumps([p, data, models, baton.run_id(), baton.step_name(), baton.attempt(),",
                        "                          missing, baton.__file__]))"));

        assertThat(step.exit).as(step.err).isZero();
        List<String> lines = step.out.lines().toList();
        MetricLines.Line metrics = MetricLines.read(lines.get(0));
        assertThat(metrics).isNotNull();
        assertThat(metrics.toString()).isEqualTo("loss=0.25 accuracy=1.0 x={\"epoch\":2}");
        assertThat(lines.get(1))
                .isEqualTo("facts " + "[{\"lr\": 0.1, \"epochs\": 3, \"name\": \"a b\"}, [\"b.csv\", \"sub/a.csv\"], "
                        + "[\"train[lr=0.1]\"], \"run-1\", \"train[lr=0.1]\", 2, "
                        + "\"this step has no input 'missing' (its inputs: data, models); declare it under the "
                        + "step's inputs: in baton.yaml\", \""
                        + installed.folder().resolve("baton/__init__.py") + "\"]");
        assertThat(workspace.outputs().resolve("out.txt")).hasContent("done");
        assertThat(workspace.checkpoint().resolve("ck")).hasContent("1");
    }

    @Test
    void aMetricThatIsNotANumberIsRefusedBeforeAnythingIsPrinted() throws Exception {
        Result step = python(Map.of(), "import baton\nbaton.log_metrics(epoch=1, loss='low')");

        assertThat(step.exit).isEqualTo(1);
        assertThat(step.out).isEmpty();
        assertThat(step.err).contains("TypeError: metric 'loss': 'low' is not a number");
    }

    @Test
    void theStepsOwnPythonpathComesFirstAndItsOwnBatonWins() throws Exception {
        Path own = Files.createDirectories(tmp.resolve("own/baton"));
        Files.writeString(own.resolve("__init__.py"), "MINE = True\n");
        Map<String, String> env =
                new LinkedHashMap<>(Map.of("PYTHONPATH", tmp.resolve("own").toString()));
        installed.addTo(env, workspace, false);
        assertThat(env).containsEntry("PYTHONPATH", tmp.resolve("own") + ":" + installed.folder());

        Result step = python(Map.of("PYTHONPATH", tmp.resolve("own").toString()), "import baton\nprint(baton.MINE)");
        assertThat(step.out.strip()).as(step.err).isEqualTo("True");
    }

    @Test
    void aStepInAContainerImageImportsTheCopyInItsWorkspace() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of("PYTHONPATH", "/opt/own"));
        installed.addTo(env, workspace, true);
        installed.copyInto(workspace);

        assertThat(ContainerCommand.insideEnv(env, workspace))
                .containsEntry("PYTHONPATH", "/opt/own:/workspace/.baton-python");
        Result step = python(
                Map.of("PYTHONPATH", workspace.root().resolve(".baton-python").toString()),
                "import baton\nprint(baton.__file__)");
        assertThat(step.out.strip())
                .as(step.err)
                .isEqualTo(workspace
                        .root()
                        .resolve(".baton-python/baton/__init__.py")
                        .toString());
    }

    @Test
    void outsideAStepTheHelpersSaySo() throws Exception {
        Result step = python(Map.of("BATON_OUTPUTS", ""), "import baton\nbaton.output_dir()");

        assertThat(step.exit).isEqualTo(1);
        assertThat(step.err).contains("NotInStepError: $BATON_OUTPUTS is not set: baton's step helpers work inside");
    }

    @Test
    void inAPrivateWorkFolderThePackageIsTheOwnersAlone() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("private-work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));

        PythonPackage own = PythonPackage.install(work);

        Path init = own.folder().resolve("baton/__init__.py");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(init)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(init.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own.folder())))
                .isEqualTo("rwx------");
    }

    @Test
    void othersReadThePackageButCannotWriteItAndAReinstallRestoresIt() throws IOException {
        Path init = installed.folder().resolve("baton/__init__.py");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(init)))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(init.getParent())))
                .isEqualTo("rwxr-xr-x");
        Files.writeString(init, "raise SystemExit('tampered')");
        Files.writeString(init.resolveSibling("stray.py"), "");

        PythonPackage again = PythonPackage.install(tmp.resolve("work"));

        assertThat(init).hasSameTextualContentAs(Path.of("..", "python", "baton", "__init__.py"));
        assertThat(init.resolveSibling("stray.py")).doesNotExist();
        assertThat(again.folder()).isEqualTo(installed.folder());
    }

    @Test
    void aWorkFolderThatCannotBeWrittenLeavesThePathAlone() throws IOException {
        PythonPackage broken = PythonPackage.install(Files.writeString(tmp.resolve("a-file"), "not a folder"));

        Map<String, String> env = new LinkedHashMap<>(Map.of("PYTHONPATH", "/opt/lib"));
        broken.addTo(env, workspace, false);
        assertThat(broken.folder()).isNull();
        assertThat(env).isEqualTo(Map.of("PYTHONPATH", "/opt/lib"));
    }

    private record Result(int exit, String out, String err) {}

    /** python3 -c program, as a step of the workspace: its BATON_* variables, the package on its path. */
    private Result python(Map<String, String> own, String program) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("PYTHONPATH");
        env.put("BATON_RUN_ID", "run-1");
        env.put("BATON_STEP", "train[lr=0.1]");
        env.put("BATON_ATTEMPT", "2");
        env.put("BATON_OUTPUTS", workspace.outputs().toString());
        env.put("BATON_INPUTS", workspace.inputs().toString());
        env.put("BATON_CHECKPOINT_DIR", workspace.checkpoint().toString());
        env.put("BATON_PARAMETERS_FILE", workspace.parametersFile().toString());
        env.putAll(own);
        installed.addTo(env, workspace, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StepProcess p = StepProcess.start(
                List.of("python3", "-c", program),
                workspace.code(),
                env,
                out,
                err,
                new PidRegistry(tmp.resolve("pids")),
                "KILL",
                null,
                List.of());
        try {
            assertThat(p.waitFor(PATIENCE)).isTrue();
            return new Result(p.exitCode(), text(out), text(err));
        } finally {
            p.terminate(Duration.ZERO);
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }
}
