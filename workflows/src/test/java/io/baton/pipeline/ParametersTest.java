package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private static final PipelineSpec SPEC = SpecParser.parse("""
      name: p
      parameters:
        - {name: lr, type: float, default: 0.1, min: 0, max: 1}
        - {name: depth, type: integer, min: 1, max: 12}
        - {name: fast, type: boolean, default: false}
        - {name: model, type: enum, choices: [tree, forest, 3], default: tree}
        - {name: note, default: hello}
      steps: [{name: a, command: x}]
      """);

    private static Map<String, Object> given(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<SpecProblem> problems(Map<String, Object> given) {
        SpecException e = catchThrowableOfType(() -> Parameters.resolve(SPEC, given), SpecException.class);
        assertThat(e).as("expected the parameters to be rejected").isNotNull();
        return e.problems();
    }

    @Test
    void resolvesGivenValuesAndDefaultsInSpecOrder() {
        Map<String, Object> resolved = Parameters.resolve(SPEC, given("note", "hi", "depth", 5));
        assertThat(resolved)
                .containsExactly(
                        Map.entry("lr", 0.1),
                        Map.entry("depth", 5L),
                        Map.entry("fast", false),
                        Map.entry("model", "tree"),
                        Map.entry("note", "hi"));
    }

    @Test
    void coercesGivenValuesToTheDeclaredType() {
        for (Object depth : new Object[] {"3", 3, 3L, 3.0, " 3 ", new BigDecimal("3.00")}) {
            assertThat(Parameters.resolve(SPEC, given("depth", depth)).get("depth"))
                    .as("%s", depth)
                    .isEqualTo(3L);
        }
        for (Object lr : new Object[] {"0.5", 0.5, 0.5f, new BigDecimal("0.5")}) {
            assertThat(Parameters.resolve(SPEC, given("depth", 1, "lr", lr)).get("lr"))
                    .as("%s", lr)
                    .isEqualTo(0.5);
        }
        assertThat(Parameters.resolve(SPEC, given("depth", 1, "lr", 1)).get("lr"))
                .isEqualTo(1.0);
        assertThat(Parameters.resolve(SPEC, given("depth", 1, "fast", "TRUE")).get("fast"))
                .isEqualTo(true);
        assertThat(Parameters.resolve(SPEC, given("depth", 1, "fast", true)).get("fast"))
                .isEqualTo(true);
        assertThat(Parameters.resolve(SPEC, given("depth", 1, "model", "3")).get("model"))
                .isEqualTo(3L);
        assertThat(Parameters.resolve(SPEC, given("depth", 1, "note", 42)).get("note"))
                .isEqualTo("42");
    }

    @Test
    void reportsEveryProblemWithParameterPaths() {
        assertThat(problems(given("lr", "fast", "fast", "maybe", "model", "bush", "extra", 1, "depth", 2.5)))
                .containsExactly(
                        new SpecProblem(
                                "parameters.extra",
                                null,
                                null,
                                "unknown parameter 'extra'; declared: lr, depth, fast, model, note"),
                        new SpecProblem(
                                "parameters.lr", null, null, "parameter 'lr' must be a number, got string 'fast'"),
                        new SpecProblem(
                                "parameters.depth", null, null, "parameter 'depth' must be an integer, got 2.5"),
                        new SpecProblem(
                                "parameters.fast",
                                null,
                                null,
                                "parameter 'fast' must be true or false, got string 'maybe'"),
                        new SpecProblem(
                                "parameters.model",
                                null,
                                null,
                                "parameter 'model' must be one of tree, forest, 3, got string 'bush'"));
    }

    @Test
    void rejectsMissingRequiredParameter() {
        assertThat(problems(Map.of()))
                .containsExactly(new SpecProblem(
                        "parameters.depth", null, null, "parameter 'depth' has no default, so a value must be given"));
        assertThat(problems(null)).hasSize(1);
    }

    @Test
    void rejectsValuesOutsideMinMax() {
        assertThat(problems(given("depth", 13, "lr", -0.01)))
                .containsExactly(
                        new SpecProblem("parameters.lr", null, null, "parameter 'lr' is -0.01, below the minimum 0.0"),
                        new SpecProblem(
                                "parameters.depth", null, null, "parameter 'depth' is 13, above the maximum 12"));
        assertThat(Parameters.resolve(SPEC, given("depth", 12, "lr", 1)).get("depth"))
                .isEqualTo(12L);
    }

    @Test
    void rejectsNullAndStructuredValues() {
        assertThat(problems(given("depth", null)).get(0).message()).isEqualTo("parameter 'depth' must not be null");
        assertThat(problems(given("depth", 1, "note", List.of("a"))).get(0).message())
                .isEqualTo("parameter 'note' must be a string, got a list");
        assertThat(problems(given("depth", 1e30)).get(0).message())
                .isEqualTo("parameter 'depth' is out of the 64-bit integer range: 1000000000000000000000000000000.0");
    }

    @Test
    void reportsUnknownParameterWhenNoneAreDeclared() {
        PipelineSpec none = SpecParser.parse("name: p\nsteps: [{name: a, command: x}]\n");
        SpecException e = catchThrowableOfType(() -> Parameters.resolve(none, Map.of("x", 1)), SpecException.class);
        assertThat(e.problems())
                .containsExactly(
                        new SpecProblem("parameters.x", null, null, "unknown parameter 'x'; declared: (none)"));
        assertThat(Parameters.resolve(none, Map.of())).isEmpty();
    }

    @Test
    void rendersValuesAsJsonWithoutQuotes() {
        assertThat(Parameters.render(true)).isEqualTo("true");
        assertThat(Parameters.render(3L)).isEqualTo("3");
        assertThat(Parameters.render(3)).isEqualTo("3");
        assertThat(Parameters.render(0.1)).isEqualTo("0.1");
        assertThat(Parameters.render(1.0)).isEqualTo("1.0");
        assertThat(Parameters.render(1e-5)).isEqualTo("0.00001");
        assertThat(Parameters.render(1.5e10)).isEqualTo("15000000000.0");
        assertThat(Parameters.render(-2.50)).isEqualTo("-2.5");
        assertThat(Parameters.render(0.0)).isEqualTo("0.0");
        assertThat(Parameters.render(0.1f)).isEqualTo("0.1");
        assertThat(Parameters.render("abc")).isEqualTo("abc");
        assertThat(Parameters.render("a \"b\"")).isEqualTo("a \"b\"");
        assertThat(Parameters.render(null)).isEqualTo("null");
    }

    @Test
    void derivesEnvironmentVariableNames() {
        assertThat(Parameters.envName("lr")).isEqualTo("BATON_PARAM_LR");
        assertThat(Parameters.envName("max_depth")).isEqualTo("BATON_PARAM_MAX_DEPTH");
        assertThat(Parameters.envName("learningRate2")).isEqualTo("BATON_PARAM_LEARNINGRATE2");
        assertThat(Parameters.envName("a-b.c")).isEqualTo("BATON_PARAM_A_B_C");
        assertThat(Parameters.envName("ß")).isEqualTo("BATON_PARAM_SS");
    }
}
