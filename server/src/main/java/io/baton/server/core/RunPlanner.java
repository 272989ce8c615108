package io.baton.server.core;

import io.baton.spec.Commands;
import io.baton.spec.PipelineSpec;
import io.baton.spec.SpecProblem;
import io.baton.spec.StepSpec;
import io.baton.workflows.RunPlan;
import io.baton.workflows.StepPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a validated spec and resolved parameters into the plan a workflow runs. Pure. */
public final class RunPlanner {
  /** A step without {@code timeout} may run this long (training runs are long). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  private RunPlanner() {
  }

  /**
   * Spec features whose machinery is not built yet are refused rather than silently ignored; each problem
   * names the key.
   */
  public static List<SpecProblem> unsupported(PipelineSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      String at = "steps[" + i + "].";
      if (!step.matrix().isEmpty()) {
        problems.add(notYet(at + "matrix", "matrix steps"));
      }
      if (!step.inputs().isEmpty()) {
        problems.add(notYet(at + "inputs", "inputs handed between steps"));
      }
      if (!step.outputs().isEmpty()) {
        problems.add(notYet(at + "outputs", "uploaded outputs"));
      }
      if (step.cache()) {
        problems.add(notYet(at + "cache", "step caching"));
      }
      if (step.approval()) {
        problems.add(notYet(at + "approval", "approval steps"));
      }
      if (step.resources().gpus() > 0) {
        problems.add(notYet(at + "resources.gpus", "GPU placement"));
      }
    }
    return problems;
  }

  private static SpecProblem notYet(String path, String what) {
    return new SpecProblem(path, null, null, what + " are not supported by this version of Baton yet; remove '"
        + path.substring(path.lastIndexOf('.') + 1) + "'");
  }

  public static RunPlan plan(String runId, String project, PipelineSpec spec, String bundle, int priority,
                             String createdBy, Map<String, Object> parameters) {
    List<StepPlan> steps = spec.steps().stream().map(step -> {
      Duration timeout = step.timeout() == null ? DEFAULT_TIMEOUT : step.timeout();
      Duration heartbeat = step.heartbeatTimeout() == null ? DEFAULT_HEARTBEAT_TIMEOUT : step.heartbeatTimeout();
      return new StepPlan(step.name(), step.needs(), step.pool(),
          Commands.render(step.command(), parameters, Map.of()), step.env(), step.image(),
          step.retries().retries(), step.retries().backoff().toMillis(), step.retries().maxBackoff().toMillis(),
          timeout.toMillis(), heartbeat.toMillis());
    }).toList();
    return new RunPlan(runId, project, spec.name(), bundle, priority, createdBy, parameters, steps);
  }
}
