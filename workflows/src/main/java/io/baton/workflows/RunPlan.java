package io.baton.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link PipelineWorkflow} runs: the run's identity and its steps as the server resolved them;
 * {@code reused} holds the steps a resumed run takes over from its original, with their outputs; {@code share} is
 * the project's weight in its pools' fair queues (null, as in plans from before it: 1).
 */
public record RunPlan(
        String runId,
        String project,
        String pipeline,
        String bundle,
        int priority,
        String createdBy,
        Map<String, Object> parameters,
        List<StepPlan> steps,
        Map<String, List<ArtifactRef>> reused,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double share) {
    public RunPlan {
        parameters = parameters == null ? Map.of() : parameters;
        steps = List.copyOf(steps);
        reused = reused == null ? Map.of() : reused;
    }

    public RunPlan(
            String runId,
            String project,
            String pipeline,
            String bundle,
            int priority,
            String createdBy,
            Map<String, Object> parameters,
            List<StepPlan> steps,
            Map<String, List<ArtifactRef>> reused) {
        this(runId, project, pipeline, bundle, priority, createdBy, parameters, steps, reused, null);
    }

    /** The planned step of that name (a matrix step's combinations are steps of their own). */
    public Optional<StepPlan> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
