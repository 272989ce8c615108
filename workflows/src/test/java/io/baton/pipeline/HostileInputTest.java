package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.oneStep;
import static io.baton.pipeline.SpecTesting.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Values built to cost CPU or to break a step later are refused at once, with the place and the reason. */
class HostileInputTest {
    private static final PipelineSpec SPEC = SpecParser.parse("""
      name: p
      parameters:
        - {name: depth, type: integer, default: 1}
        - {name: lr, type: float, default: 0.1}
        - {name: note, default: hello}
      steps: [{name: a, command: x}]
      """);

    private static String problemOf(String name, Object value) {
        SpecException e =
                catchThrowableOfType(() -> Parameters.resolve(SPEC, Map.of(name, value)), SpecException.class);
        assertThat(e).as("expected %s=%s to be refused", name, value).isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0).message();
    }

    @Test
    @Timeout(3)
    void numbersWithHugeExponentsOrDigitsAreRefusedCheaply() {
        for (String text : List.of("1e30000000", "-1e30000000", "1e-30000000", "1e999999999", "9".repeat(5000))) {
            assertThat(problemOf("depth", text)).as(text).contains("depth");
            assertThat(problemOf("lr", text)).as(text).contains("lr");
        }
        assertThat(problemOf("depth", new BigDecimal("1e30000000"))).contains("out of range");
        assertThat(problemOf("depth", new BigInteger("9".repeat(999)))).contains("out of range");
        assertThat(Parameters.resolve(SPEC, Map.of("depth", "1e3", "lr", "2.5e-3")))
                .containsEntry("depth", 1000L)
                .containsEntry("lr", 0.0025);
    }

    @Test
    @Timeout(3)
    void specNumbersAndQuantitiesOfManyDigitsAreRefusedCheaply() {
        String digits = "9".repeat(200_000);
        assertThat(problem(oneStep("retries: " + digits)).path()).isEqualTo("steps[0].retries");
        assertThat(problem(oneStep("resources: {cpus: " + digits + ".5}")).path())
                .isEqualTo("steps[0].resources.cpus");
        assertThat(problem(oneStep("resources: {memory: \"" + digits + "Mi\"}")).message())
                .contains("too large");
        assertThatThrownBy(() -> Quantities.parseBytes("1" + "0".repeat(200_000)))
                .hasMessageContaining("too large");
        assertThat(Numbers.decimal("12.5")).isEqualByComparingTo("12.5");
        assertThat(Numbers.decimal("twelve")).isNull();
    }

    @Test
    void aNulCharacterIsRefusedInParametersEnvAndCommands() {
        assertThat(problemOf("note", "a\u0000b")).contains("NUL");
        assertThat(problem(oneStep("env: {X: \"a\\0b\"}")).message()).contains("NUL");
        assertThat(problem("name: p\nsteps:\n  - name: s\n    command: [\"echo\", \"a\\0b\"]\n")
                        .message())
                .contains("NUL");
        assertThat(problem("name: p\nsteps:\n  - name: s\n    command: \"echo a\\0b\"\n")
                        .message())
                .contains("NUL");
    }

    @Test
    void cpusBeyondAnyMachineAreRefusedSoTheShapeCannotOverflow() {
        SpecProblem p = problem(oneStep("resources: {cpus: 1e308}"));
        assertThat(p.path()).isEqualTo("steps[0].resources.cpus");
        assertThat(p.message()).contains("at most 4096");
        assertThat(onlyCpus(oneStep("resources: {cpus: 4096}"))).isEqualTo(4096);
    }

    @Test
    void aCommandThatIsANumberOrBooleanIsRefused() {
        for (String command : List.of("5", "1.5", "true")) {
            SpecProblem p = problem("name: p\nsteps:\n  - name: s\n    command: " + command + "\n");
            assertThat(p.path()).isEqualTo("steps[0].command");
            assertThat(p.message()).contains("expected a command");
        }
        assertThat(SpecTesting.onlyStep("name: p\nsteps:\n  - name: s\n    command: [sleep, 5]\n")
                        .command())
                .containsExactly("sleep", "5");
    }

    private static double onlyCpus(String yaml) {
        return SpecTesting.onlyStep(yaml).resources().cpus();
    }
}
