package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

class RegisterSpecTest {
    @Test
    void aModelNameAloneRegistersEveryOutput() {
        PipelineSpec spec = SpecParser.parse("name: p\nsteps:\n  - {name: pick, command: x, outputs: [model.pkl],"
                + " register: iris-classifier}\n");
        assertThat(spec.steps().get(0).register()).isEqualTo(new RegisterSpec("iris-classifier", null, null));
    }

    @Test
    void theLongFormNamesAPathAndADescription() {
        PipelineSpec spec = SpecParser.parse("""
        name: p
        steps:
          - name: pick
            command: x
            outputs: [best/*]
            register: {model: iris, path: best/model.pkl, description: the best of the grid}
        """);
        assertThat(spec.steps().get(0).register())
                .isEqualTo(new RegisterSpec("iris", "best/model.pkl", "the best of the grid"));
    }

    @Test
    void stepsWithoutRegisterHaveNone() {
        assertThat(SpecParser.parse("name: p\nsteps: [{name: a, command: x}]\n")
                        .steps()
                        .get(0)
                        .register())
                .isNull();
    }

    @Test
    void badRegistrationsAreReportedWithTheirPositions() {
        String yaml = """
        name: p
        steps:
          - {name: a, command: x, outputs: [m.pkl], register: "../evil"}
          - {name: b, command: x, register: iris}
          - {name: c, command: x, outputs: [m.pkl], register: {model: iris, path: /etc/passwd}}
          - {name: d, command: x, outputs: [m.pkl], register: {path: m.pkl, alias: prod}}
        """;
        assertThat(problems(yaml))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("steps[0].register", 3, "'../evil' is not a valid name: " + RegisterSpec.NAME_RULE),
                        tuple(
                                "steps[1].register",
                                4,
                                "a step that registers a model must declare the files in 'outputs'"),
                        tuple(
                                "steps[2].register.path",
                                5,
                                "path '/etc/passwd' must be relative (under $BATON_OUTPUTS), not absolute"),
                        tuple("steps[3].register.model", 6, "model is required"),
                        tuple("steps[3].register.alias", 6, "unknown key 'alias'; allowed: model, path, description"));
    }
}
