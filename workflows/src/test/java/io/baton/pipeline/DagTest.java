package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagTest {
    @Test
    void ordersStepsAfterWhatTheyNeedKeepingSpecOrderAmongReadySteps() {
        PipelineSpec spec = SpecParser.parse("""
        name: p
        steps:
          - {name: report, command: x, needs: [train, eval]}
          - {name: eval, command: x, needs: [train]}
          - {name: fetch, command: x}
          - {name: train, command: x, needs: [prep]}
          - {name: lint, command: x}
          - {name: prep, command: x, needs: [fetch]}
        """);
        assertThat(Dag.topologicalOrder(spec)).containsExactly("fetch", "lint", "prep", "train", "eval", "report");
    }

    @Test
    void keepsSpecOrderWithoutNeeds() {
        PipelineSpec spec = SpecParser.parse(
                "name: p\nsteps: [{name: c, command: x}, {name: a, command: x}," + " {name: b, command: x}]\n");
        assertThat(Dag.topologicalOrder(spec)).containsExactly("c", "a", "b");
    }

    @Test
    void findsEachCycleOnceStartingAtItsFirstStep() {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        graph.put("a", List.of("b"));
        graph.put("b", List.of("c", "x"));
        graph.put("c", List.of("a"));
        graph.put("d", List.of("d"));
        graph.put("e", List.of("a"));
        assertThat(Dag.cycles(graph)).containsExactly(List.of("a", "b", "c"), List.of("d"));
        graph.put("d", List.of());
        graph.put("c", List.of());
        assertThat(Dag.cycles(graph)).isEmpty();
    }

    @Test
    void handlesLongChainsWithoutRecursion() {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            graph.put("s" + i, i == 0 ? List.of("s19999") : List.of("s" + (i - 1)));
        }
        List<List<String>> cycles = Dag.cycles(graph);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0)).hasSize(20_000).startsWith("s0", "s19999", "s19998");
    }

    @Test
    void refusesToOrderAHandBuiltCyclicSpec() {
        StepSpec a = step("a", "b");
        StepSpec b = step("b", "a");
        assertThatThrownBy(() -> Dag.topologicalOrder(new PipelineSpec("p", List.of(), List.of(a, b))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the steps form a cycle: [[a, b]]");
        assertThatThrownBy(() -> Dag.topologicalOrder(new PipelineSpec("p", List.of(), List.of(step("a", "z")))))
                .hasMessage("step 'a' needs unknown step 'z'");
    }

    private static StepSpec step(String name, String need) {
        return new StepSpec(
                name,
                List.of("x"),
                "cpu",
                List.of(need),
                Map.of(),
                RetrySpec.NONE,
                null,
                null,
                null,
                Map.of(),
                List.of(),
                ResourcesSpec.DEFAULT,
                false,
                false,
                Map.of(),
                null);
    }
}
