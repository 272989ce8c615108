package io.baton.protocol;

import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import java.util.List;

/**
 * How an attempt ended on its worker; {@code exitCode} null when the process never ran. {@code outputs}: the files
 * it left under {@code $BATON_OUTPUTS}, already uploaded.
 */
public record AttemptFinish(AttemptStatus status, Integer exitCode, String message, List<ArtifactRef> outputs) {
  public AttemptFinish {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public AttemptFinish(AttemptStatus status, Integer exitCode, String message) {
    this(status, exitCode, message, List.of());
  }
}
