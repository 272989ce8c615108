package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs on a worker of the step's pool: one attempt of a step as an OS process. */
@ActivityInterface
public interface StepActivities {
    /**
     * Runs the step's command in a fresh workspace and returns when it exits 0. A non-zero exit fails with an
     * {@code ApplicationFailure} of type {@link StepFailures#EXIT_CODE} whose details hold the exit code.
     */
    @ActivityMethod
    StepResult runStep(StepRequest request);
}
