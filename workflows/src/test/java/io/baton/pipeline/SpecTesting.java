package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Helpers shared by the spec tests. */
final class SpecTesting {
    private SpecTesting() {}

    /** The problems of an invalid spec, asserting that parse() and validate() agree. */
    static List<SpecProblem> problems(String yaml) {
        SpecException e = catchThrowableOfType(() -> SpecParser.parse(yaml), SpecException.class);
        assertThat(e).as("expected the spec to be rejected").isNotNull();
        assertThat(SpecParser.validate(yaml)).isEqualTo(e.problems());
        return e.problems();
    }

    /** The only problem of an invalid spec. */
    static SpecProblem problem(String yaml) {
        List<SpecProblem> problems = problems(yaml);
        assertThat(problems).as("exactly one problem").hasSize(1);
        return problems.get(0);
    }

    /** A minimal valid spec whose single step has the given extra lines (indented by 4, under "- name: s"). */
    static String oneStep(String... stepLines) {
        StringBuilder sb = new StringBuilder("name: p\nsteps:\n  - name: s\n    command: [run]\n");
        for (String line : stepLines) {
            sb.append("    ").append(line).append('\n');
        }
        return sb.toString();
    }

    static StepSpec onlyStep(String yaml) {
        PipelineSpec spec = SpecParser.parse(yaml);
        assertThat(spec.steps()).hasSize(1);
        return spec.steps().get(0);
    }
}
