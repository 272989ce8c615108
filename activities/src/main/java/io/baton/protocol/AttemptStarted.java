package io.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.baton.workflows.ArtifactRef;
import java.util.List;

/**
 * The server's answer to an attempt start: how many earlier attempts of the step failed their command (for the retry
 * policy). {@code stepSucceeded}: an earlier attempt's success already ended the step (its answer to Temporal was
 * lost with its worker); nothing is recorded for this attempt, and the worker answers with the step's
 * {@code outputs} instead of running the command again. Both are left out of the JSON unless the step succeeded.
 */
public record AttemptStarted(int number, int failures,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean stepSucceeded,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ArtifactRef> outputs) {
  public AttemptStarted {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public AttemptStarted(int number, int failures) {
    this(number, failures, false, List.of());
  }
}
