package io.baton.pipeline;

import java.util.List;
import java.util.Optional;

/** A parsed, validated {@code baton.yaml}: the pipeline's name, its parameters in order and its steps in spec order. */
public record PipelineSpec(String name, List<ParameterSpec> parameters, List<StepSpec> steps) {
    public PipelineSpec {
        parameters = List.copyOf(parameters);
        steps = List.copyOf(steps);
    }

    public Optional<StepSpec> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
