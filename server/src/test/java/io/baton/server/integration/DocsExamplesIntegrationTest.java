package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.DocBlocks;
import io.baton.server.testing.DocBlocks.Block;
import io.baton.server.testing.LocalDemo;
import io.baton.server.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthrough (after {@code ./baton demo}, as the README tells it) and the shell examples and pipeline
 * specs of docs/ run as they stand against local mode; the rules for the examples are in docs/testing.md.
 */
class DocsExamplesIntegrationTest {
    private static final Set<String> SHELL = Set.of("sh", "bash", "shell");
    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(4);
    private static final long SCRIPT_TIMEOUT_SECONDS = 300;
    /**
     * Before the blocks: stop at the first failing command, and a curl that gets an HTTP error fails (curl -s alone
     * exits 0 on a 404); a curl given -f or --fail by the docs keeps its own behaviour.
     */
    private static final String PRELUDE = """
      set -euo pipefail
      trap 'echo "docs-test: failed in $DOCS_BLOCK: $BASH_COMMAND" >&2' ERR
      curl() {
        local a
        for a in "$@"; do
          case "$a" in --fail|--fail-with-body|-[a-zA-Z]*f*) command curl "$@"; return ;; esac
        done
        command curl --fail-with-body "$@"
      }
      """;

    private static LocalDemo local;
    private static List<Block> blocks;

    @BeforeAll
    static void startLocalModeAndRunTheDemo() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        blocks = DocBlocks.of(repo);
        local = LocalDemo.start(repo, DEMO_TIMEOUT);
    }

    @AfterAll
    static void stopLocalMode() throws IOException {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theDemoEndsWithAPredictionOfTheModelItTrained() {
        // the demo deploys the version its run registered and calls it through the server, printing the curl
        Wait.until(
                "the demo's prediction (log: " + local.logTail(3000) + ")",
                Duration.ofSeconds(120),
                () -> local.logTail(1 << 20).contains("made with:   curl"));
        String log = local.logTail(1 << 20);
        assertThat(log).containsPattern("prediction:  200 \\{\"predictions\": \\[\"setosa\", \"virginica\"]}");
        assertThat(log).contains("/serve/demo/iris/predict");
    }

    @Test
    void everyShellExampleRunsAfterTheDemoAndEveryRequestSucceeds() throws Exception {
        List<Block> shell = blocks.stream()
                .filter(b -> SHELL.contains(b.language()) && !b.skipped())
                .toList();
        assertThat(shell)
                .as("the README's walkthrough is among the blocks run")
                .anySatisfy(b -> assertThat(b.file()).isEqualTo("README.md"));
        StringBuilder script = new StringBuilder(PRELUDE);
        for (Block block : shell) {
            script.append("\nDOCS_BLOCK='")
                    .append(block.where())
                    .append("'\necho \"docs-test: ")
                    .append(block.where())
                    .append("\" >&2\n")
                    .append(block.text());
        }
        script.append("\necho 'docs-test: every block ran' >&2\n");

        Ran ran = bash(script.toString());

        assertThat(ran.exit())
                .as("the docs' shell examples (exit %d); output:\n%s", ran.exit(), ran.output())
                .isZero();
        assertThat(ran.output()).contains("docs-test: every block ran");
    }

    @Test
    void everyPipelineSpecOfTheDocsIsValid() throws Exception {
        Api api = local.admin();
        List<Block> specs = blocks.stream()
                .filter(b -> b.language().equals("yaml") && !b.skipped())
                .toList();
        assertThat(specs).extracting(Block::file).contains("README.md", "docs/pipelines.md");
        List<String> invalid = new ArrayList<>();
        for (Block spec : specs) {
            Api.Answer answer = api.post("/pipelines/validate", Map.of("spec", spec.text()));
            JsonNode json = answer.json();
            if (answer.status() != 200 || json == null || !json.path("valid").asBoolean(false)) {
                invalid.add(spec.where() + ": " + answer.status() + " " + answer.text());
            }
        }

        assertThat(invalid).as("specs of the docs that do not validate").isEmpty();
    }

    @Test
    void everySkippedExampleSaysWhy() {
        assertThat(blocks.stream().filter(Block::skipped))
                .allSatisfy(b -> assertThat(b.skipReason()).as(b.where()).hasSizeGreaterThan(10));
    }

    private record Ran(int exit, String output) {}

    /** Runs the script with bash in the repository, as a user of this local mode would, bounded in time. */
    private static Ran bash(String script) throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "docs-examples-", ".sh");
        Files.writeString(file, script);
        Path output = Path.of(file + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toAbsolutePath().toString())
                .directory(local.repo().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(local.userEnvironment());
        // a config folder of the test's own: the walkthrough's `./baton login` never writes the config of the user
        // running the tests
        pb.environment()
                .put(
                        "XDG_CONFIG_HOME",
                        Files.createTempDirectory(Path.of("target"), "docs-config-")
                                .toAbsolutePath()
                                .toString());
        pb.environment().remove("BATON_SERVER");
        pb.environment().remove("BATON_TOKEN");
        pb.environment().remove("BATON_PROJECT");
        Process p = pb.start();
        try {
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return new Ran(-1, "timed out after " + SCRIPT_TIMEOUT_SECONDS + " s:\n" + tail(output));
            }
            return new Ran(p.exitValue(), tail(output));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String tail(Path output) throws IOException {
        String text = Files.readString(output);
        return text.substring(Math.max(0, text.length() - 8000));
    }
}
