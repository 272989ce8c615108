package io.baton.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a {@link PipelineWorkflow} runs: the run's identity and its steps, already resolved by the server
 * (parameters substituted, defaults applied). Small by construction: the server refuses specs over 1 MiB.
 */
public record RunPlan(String runId, String project, String pipeline, String bundle, int priority, String createdBy,
                      Map<String, Object> parameters, List<StepPlan> steps) {
  public RunPlan {
    parameters = parameters == null ? Map.of() : parameters;
    steps = List.copyOf(steps);
  }
}
