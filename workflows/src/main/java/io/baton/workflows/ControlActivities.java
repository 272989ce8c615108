package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Metadata writes a workflow makes, run as local activities inside the server. Each is idempotent: a retried call
 * leaves the same rows as one call, and a terminal status is never overwritten.
 */
@ActivityInterface
public interface ControlActivities {
  @ActivityMethod
  void stepFinished(StepOutcome outcome);

  @ActivityMethod
  void runFinished(RunOutcome outcome);
}
