package io.baton.workflows;

import java.util.List;
import java.util.Map;

/** Small run plans for workflow tests: every step on pool cpu, short timeouts, no retries unless asked. */
final class Plans {
  static final String POOL = "cpu";

  private Plans() {
  }

  static RunPlan plan(String runId, StepPlan... steps) {
    return new RunPlan(runId, "demo", "pipeline", "bundle-sha256", 3, "alice", Map.of("epochs", 2), List.of(steps),
        Map.of());
  }

  static StepPlan step(String name, String... needs) {
    return step(name, 0, needs);
  }

  static StepPlan step(String name, int retries, String... needs) {
    return new StepPlan(name, List.of(needs), POOL, List.of("python", name + ".py"), Map.of(), null,
        retries, 10, 100, 60_000, 1_000, List.of(), List.of(), null, false);
  }
}
