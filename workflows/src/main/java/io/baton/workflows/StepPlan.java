package io.baton.workflows;

import java.util.List;
import java.util.Map;

/**
 * One step of a {@link RunPlan}: its command with parameters already substituted, where it runs and how it is
 * retried. Durations are milliseconds so that the record crosses Temporal's JSON payloads without converters.
 */
public record StepPlan(String name, List<String> needs, String pool, List<String> command, Map<String, String> env,
                       String image, int retries, long backoffMs, long maxBackoffMs, long timeoutMs,
                       long heartbeatTimeoutMs) {
  public StepPlan {
    needs = List.copyOf(needs);
    command = List.copyOf(command);
    env = env == null ? Map.of() : env;
  }
}
