package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command lines without a server: usage errors exit 3, an unreachable server 4, help and version 0. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Context context = new Context(
                Map.of("HOME", "/nonexistent-home"),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        return Main.execute(context, args);
    }

    @Test
    void aResourceWithoutAVerbIsAUsageError() {
        assertThat(run("runs")).isEqualTo(3);
        assertThat(err.toString()).startsWith("baton: 'baton runs' needs a verb: one of list, show, logs");
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreUsageErrors() {
        assertThat(run("runs", "list", "--nope")).isEqualTo(3);
        assertThat(run("runs", "show")).isEqualTo(3);
        assertThat(run("run", "--follow", "--detach")).isEqualTo(3);
        assertThat(err.toString()).contains("baton: ");
    }

    @Test
    void anUnreachableServerExitsFour() {
        assertThat(run("me", "--server", "http://127.0.0.1:1")).isEqualTo(4);
        assertThat(err.toString()).startsWith("baton: cannot reach the server at http://127.0.0.1:1");
    }

    @Test
    void helpOnEveryCommandAndTheVersion() {
        for (String[] args :
                new String[][] {{"--help"}, {"runs", "logs", "--help"}, {"schedules", "create", "--help"}}) {
            assertThat(run(args)).as(String.join(" ", args)).isZero();
        }
        assertThat(out.toString()).contains("Usage: baton runs logs", "--on-dataset");
        out.reset();
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("baton ");
    }

    @Test
    void aMissingSpecFileIsBadInput() {
        assertThat(run("validate", "/nonexistent/baton.yaml", "--server", "http://127.0.0.1:1"))
                .isEqualTo(3);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void commonOptionsBeforeTheCommandApplyToIt() {
        assertThat(Main.hoisted(new String[] {"--json", "--server", "http://a", "runs", "list", "--limit", "3"}))
                .containsExactly("runs", "list", "--limit", "3", "--json", "--server", "http://a");
        assertThat(Main.hoisted(new String[] {"--token=t", "endpoints", "deploy", "e", ".", "--", "serve", "--json"}))
                .containsExactly("endpoints", "deploy", "e", ".", "--token=t", "--", "serve", "--json");
        assertThat(run("--server", "http://127.0.0.1:1", "me")).isEqualTo(4);
        assertThat(err.toString()).startsWith("baton: cannot reach the server at http://127.0.0.1:1");
    }
}
