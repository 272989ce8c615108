package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandsAndMatrixTest {
    @Test
    void replacesPlaceholdersInsideArguments() {
        List<String> out = Commands.render(
                List.of(
                        "python3",
                        "train.py",
                        "--lr={parameters.lr}",
                        "{parameters.depth}",
                        "{matrix.seed}-{matrix.seed}",
                        "{json}",
                        "{parameters"),
                Map.of("lr", 1e-5, "depth", 3L),
                Map.of("seed", 7L));
        assertThat(out).containsExactly("python3", "train.py", "--lr=0.00001", "3", "7-7", "{json}", "{parameters");
    }

    @Test
    void parameterValuesWithShellMetacharactersStayOneLiteralArgument() {
        String nasty = "a b; rm -rf / $(whoami) `id` $HOME \\ \"q\" 'x'\nnext $1 ${2}";
        PipelineSpec spec = SpecParser.parse("""
        name: p
        parameters: [{name: note}]
        steps:
          - name: a
            command: 'echo "note: {parameters.note}" done'
        """);
        Map<String, Object> params = Parameters.resolve(spec, Map.of("note", nasty));
        List<String> out = Commands.render(spec.steps().get(0).command(), params, Map.of());
        assertThat(out).containsExactly("echo", "note: " + nasty, "done");
    }

    @Test
    void rejectsUnknownPlaceholderAtRenderTime() {
        assertThatThrownBy(() -> Commands.render(List.of("{parameters.x}"), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placeholder {parameters.x} in argument '{parameters.x}'");
        assertThatThrownBy(() -> Commands.render(List.of("a{matrix.k}"), Map.of("k", 1), Map.of()))
                .hasMessage("unknown placeholder {matrix.k} in argument 'a{matrix.k}'");
    }

    @Test
    void listsMatrixCombinationsWithTheFirstKeyVaryingSlowest() {
        Map<String, List<Object>> matrix = new LinkedHashMap<>();
        matrix.put("lr", List.of(0.1, 0.01));
        matrix.put("depth", List.of(3L, 5L, 7L));
        List<Map<String, Object>> combos = Matrix.combinations(matrix);
        assertThat(combos)
                .containsExactly(
                        Map.of("lr", 0.1, "depth", 3L),
                        Map.of("lr", 0.1, "depth", 5L),
                        Map.of("lr", 0.1, "depth", 7L),
                        Map.of("lr", 0.01, "depth", 3L),
                        Map.of("lr", 0.01, "depth", 5L),
                        Map.of("lr", 0.01, "depth", 7L));
        assertThat(combos.get(0).keySet()).containsExactly("lr", "depth");
        assertThat(Matrix.combinations(Map.of())).containsExactly(Map.of());
        assertThat(Matrix.size(matrix)).isEqualTo(6);
    }

    @Test
    void namesMatrixStepsWithRenderedValues() {
        Map<String, Object> combination = new LinkedHashMap<>();
        combination.put("lr", 0.1);
        assertThat(Matrix.stepName("train", combination)).isEqualTo("train[lr=0.1]");
        combination.put("depth", 3L);
        assertThat(Matrix.stepName("train", combination)).isEqualTo("train[lr=0.1,depth=3]");
        assertThat(Matrix.stepName("train", Map.of("x", 1e-5))).isEqualTo("train[x=0.00001]");
        assertThat(Matrix.stepName("train", Map.of("on", true))).isEqualTo("train[on=true]");
        assertThat(Matrix.stepName("train", Map.of())).isEqualTo("train");
    }

    @Test
    void expandsTheApiMdExampleIntoNamedSteps() {
        PipelineSpec spec = SpecParser.parse(SpecParserTest.API_MD_EXAMPLE);
        StepSpec train = spec.step("train").orElseThrow();
        Map<String, Object> params = Parameters.resolve(spec, Map.of("max_depth", "5"));
        List<String> names = Matrix.combinations(train.matrix()).stream()
                .map(c -> Matrix.stepName(train.name(), c))
                .toList();
        assertThat(names).containsExactly("train[lr=0.1]", "train[lr=0.01]");
        assertThat(Commands.render(
                        train.command(),
                        params,
                        Matrix.combinations(train.matrix()).get(1)))
                .containsExactly("python3", "train.py", "--max-depth", "5");
        assertThat(params).containsExactly(Map.entry("max_depth", 5L), Map.entry("model", "tree"));
    }
}
