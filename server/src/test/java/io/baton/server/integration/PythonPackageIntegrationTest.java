package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Python package as a user gets it: {@code pip install ./python} (no network), then its pytest suite
 * ({@code python/tests}) with that install, a user's token in the client's config file, against the cluster: unit
 * tests, and a run from a folder whose steps import {@code baton} from the worker, its metrics, artifacts and model.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "py", pools = "py")
class PythonPackageIntegrationTest {
    /** Every test of python/tests: each must pass, none be skipped. */
    private static final int PYTEST_TESTS = 45;

    private static final String PROJECT = "py-tests";
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @TempDir
    Path tmp;

    @Test
    void pipInstallsThePackageAndItsTestsPassAgainstTheServer() throws Exception {
        Path python = cluster.repo().resolve(".baton/python-tests/bin/python");
        assertThat(Files.isExecutable(python))
                .as("pytest's environment is missing at %s: './baton test' installs it", python)
                .isTrue();
        // installed from a copy, so that the build leaves nothing in the checkout
        Path source = Files.createDirectories(tmp.resolve("source/baton"));
        Path packageSource = cluster.repo().resolve("python");
        for (String file : List.of("pyproject.toml", "README.md")) {
            Files.copy(packageSource.resolve(file), tmp.resolve("source").resolve(file));
        }
        try (Stream<Path> modules = Files.list(packageSource.resolve("baton"))) {
            for (Path module : modules.filter(p -> p.toString().endsWith(".py")).toList()) {
                Files.copy(module, source.resolve(module.getFileName()));
            }
        }
        Path site = tmp.resolve("site");
        run(
                List.of(
                        python.toString(),
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        "--no-index",
                        "--no-deps",
                        "--no-build-isolation",
                        "--target",
                        site.toString(),
                        tmp.resolve("source").toString()),
                Map.of(),
                true);
        assertThat(site.resolve("baton/__init__.py")).exists();

        Api user = api.user("py-user");
        api.project(PROJECT).grant(PROJECT, "py-user", "editor", "promote");
        Path config = Files.createDirectories(tmp.resolve("config/baton"));
        Files.writeString(
                config.resolve("config.yml"),
                "# as baton login writes it\nserver: " + cluster.apiBase() + "\ntoken: " + user.token() + "\nproject: "
                        + PROJECT + "\n");

        Path junit = tmp.resolve("pytest.xml");
        Ran pytest = run(
                List.of(
                        python.toString(),
                        "-m",
                        "pytest",
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        "--junitxml=" + junit,
                        cluster.repo().resolve("python/tests").toString()),
                Map.of(
                        "PYTHONPATH", site.toString(),
                        "PYTHONDONTWRITEBYTECODE", "1",
                        "HOME", Files.createDirectories(tmp.resolve("home")).toString(),
                        "XDG_CONFIG_HOME", tmp.resolve("config").toString(),
                        "BATON_PYTHON_INTEGRATION", "1",
                        "BATON_TEST_POOL", "py",
                        "BATON_PACKAGE_UNDER_TEST", site.resolve("baton").toString()),
                false);
        String output = pytest.output();

        Element suite = (Element) DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(junit.toFile())
                .getElementsByTagName("testsuite")
                .item(0);
        List<String> failed = new ArrayList<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            for (String kind : List.of("failure", "error", "skipped")) {
                NodeList found = c.getElementsByTagName(kind);
                if (found.getLength() > 0) {
                    Element f = (Element) found.item(0);
                    failed.add(kind + " " + c.getAttribute("name") + ": " + f.getAttribute("message") + "\n"
                            + f.getTextContent());
                }
            }
        }
        assertThat(failed).as("pytest's output:\n%s", output).isEmpty();
        assertThat(pytest.exit()).as("pytest's exit code:\n%s", output).isZero();
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).as(output).isEqualTo(PYTEST_TESTS);
    }

    private record Ran(int exit, String output) {}

    /**
     * Runs the command in {@code tmp} with the variables of this JVM less Baton's and Python's, plus {@code env};
     * {@code mustSucceed}: its exit code is asserted here.
     */
    private Ran run(List<String> command, Map<String, String> env, boolean mustSucceed)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BATON_") || name.startsWith("PYTHON"));
        builder.environment().putAll(env);
        ToolRun run = ToolRun.run(builder, Duration.ofSeconds(150));
        assertThat(run.ended()).as("%s to end:\n%s", command, run.output()).isTrue();
        if (mustSucceed) {
            assertThat(run.exit()).as("%s:\n%s", command, run.output()).isZero();
        }
        return new Ran(run.exit(), run.output());
    }
}
