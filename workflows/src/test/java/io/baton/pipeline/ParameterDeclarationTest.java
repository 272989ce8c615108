package io.baton.pipeline;

import static io.baton.pipeline.SpecTesting.problem;
import static io.baton.pipeline.SpecTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code parameters:} list of a spec. */
class ParameterDeclarationTest {
    private static String spec(String... parameterLines) {
        StringBuilder sb = new StringBuilder("name: p\nparameters:\n");
        for (String line : parameterLines) {
            sb.append("  - ").append(line).append('\n');
        }
        return sb.append("steps: [{name: a, command: x}]\n").toString();
    }

    private static List<ParameterSpec> parameters(String... parameterLines) {
        return SpecParser.parse(spec(parameterLines)).parameters();
    }

    @Test
    void parsesEveryTypeWithTypedDefaults() {
        assertThat(parameters(
                        "{name: s}",
                        "{name: s2, type: string, default: 007}",
                        "{name: i, type: integer, default: 3, min: -1, max: 10}",
                        "{name: i2, type: integer, default: 4.0}",
                        "{name: f, type: float, default: 1e-5, min: 0, max: 1}",
                        "{name: f2, type: float, default: 2}",
                        "{name: b, type: boolean, default: false}",
                        "{name: e, type: enum, choices: [1, two, 3.5], default: 1}"))
                .containsExactly(
                        new ParameterSpec("s", ParameterType.STRING, null, null, null, List.of(), null),
                        new ParameterSpec("s2", ParameterType.STRING, "007", null, null, List.of(), null),
                        new ParameterSpec("i", ParameterType.INTEGER, 3L, -1.0, 10.0, List.of(), null),
                        new ParameterSpec("i2", ParameterType.INTEGER, 4L, null, null, List.of(), null),
                        new ParameterSpec("f", ParameterType.FLOAT, 1e-5, 0.0, 1.0, List.of(), null),
                        new ParameterSpec("f2", ParameterType.FLOAT, 2.0, null, null, List.of(), null),
                        new ParameterSpec("b", ParameterType.BOOLEAN, false, null, null, List.of(), null),
                        new ParameterSpec("e", ParameterType.ENUM, 1L, null, null, List.of(1L, "two", 3.5), null));
    }

    @Test
    void rejectsDefaultsThatDoNotMatchTheType() {
        assertThat(problems(spec(
                        "{name: i, type: integer, default: 3.5}",
                        "{name: j, type: integer, default: \"3\"}",
                        "{name: f, type: float, default: fast}",
                        "{name: b, type: boolean, default: yes}",
                        "{name: c, type: boolean, default: 1}",
                        "{name: e, type: enum, choices: [tree, forest], default: bush}",
                        "{name: s, type: string, default: [a]}")))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("parameters[0].default", 3, "default: parameter 'i' must be an integer, got 3.5"),
                        tuple("parameters[1].default", 4, "default: parameter 'j' must be an integer, got string '3'"),
                        tuple("parameters[2].default", 5, "default: parameter 'f' must be a number, got string 'fast'"),
                        tuple(
                                "parameters[3].default",
                                6,
                                "default: parameter 'b' must be true or false, got string 'yes'"),
                        tuple("parameters[4].default", 7, "default: parameter 'c' must be true or false, got 1"),
                        tuple(
                                "parameters[5].default",
                                8,
                                "default: parameter 'e' must be one of tree, forest, got string 'bush'"),
                        tuple("parameters[6].default", 9, "expected a string, found a list"));
    }

    @Test
    void checksMinMaxAndDefaultRange() {
        assertThat(problems(spec(
                        "{name: a, type: integer, default: 20, min: 1, max: 12}",
                        "{name: b, type: float, default: -0.5, min: 0}",
                        "{name: c, type: integer, min: 5, max: 1}",
                        "{name: d, type: string, min: 1}",
                        "{name: e, type: float, max: big}")))
                .extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple("parameters[0].default", "default: parameter 'a' is 20, above the maximum 12"),
                        tuple("parameters[1].default", "default: parameter 'b' is -0.5, below the minimum 0.0"),
                        tuple("parameters[2].max", "max 1 is less than min 5"),
                        tuple("parameters[3].min", "min is only allowed for integer and float parameters"),
                        tuple("parameters[4].max", "expected a number, found string 'big'"));
    }

    @Test
    void checksEnumChoices() {
        assertThat(problems(spec(
                        "{name: a, type: enum}",
                        "{name: b, type: enum, choices: []}",
                        "{name: c, type: enum, choices: [x, x]}",
                        "{name: d, type: string, choices: [x]}",
                        "{name: e, type: enum, choices: tree}",
                        "{name: f, type: enum, choices: [[x]]}")))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("parameters[0].choices", 3, "an enum parameter needs choices"),
                        tuple("parameters[1].choices", 4, "choices must not be empty"),
                        tuple("parameters[2].choices[1]", 5, "duplicate choice x"),
                        tuple("parameters[3].choices", 6, "choices is only allowed for enum parameters"),
                        tuple("parameters[4].choices", 7, "expected a list of choices, found string 'tree'"),
                        tuple(
                                "parameters[5].choices[0]",
                                8,
                                "expected a choice (a string, number or boolean), found a list"));
    }

    @Test
    void rejectsBadAndDuplicateNamesAndUnknownTypes() {
        assertThat(problems(spec(
                        "{name: lr}",
                        "{name: lr}",
                        "{name: 2lr}",
                        "{type: float}",
                        "{name: x, type: double}",
                        "just-a-name")))
                .extracting(SpecProblem::path, SpecProblem::line, SpecProblem::message)
                .containsExactly(
                        tuple("parameters[1].name", 4, "duplicate parameter name 'lr' (first at line 3)"),
                        tuple(
                                "parameters[2].name",
                                5,
                                "'2lr' is not a valid name: letters, digits and '_', not starting with"
                                        + " a digit, at most 63 characters"),
                        tuple("parameters[3].name", 6, "name is required"),
                        tuple(
                                "parameters[4].type",
                                7,
                                "unknown type 'double'; allowed: string, integer, float, boolean, enum"),
                        tuple(
                                "parameters[5]",
                                8,
                                "expected a parameter (a mapping with at least a name), found string"
                                        + " 'just-a-name'"));
    }

    @Test
    void rejectsParametersThatAreNotAList() {
        SpecProblem p = problem("name: p\nparameters: {lr: 0.1}\nsteps: [{name: a, command: x}]\n");
        assertThat(p).isEqualTo(new SpecProblem("parameters", 2, 13, "expected a list of parameters, found a mapping"));
    }
}
