package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Metadata writes a workflow makes, run as local activities inside the server. Each is idempotent: a retried call
 * leaves the same rows as one call, and a terminal status is never overwritten.
 */
@ActivityInterface
public interface ControlActivities {
    /**
     * Records a step's end; answers the step as recorded. A workflow that replays a history from before the answer
     * existed gets null, and goes on as it did then.
     */
    @ActivityMethod
    RecordedStep stepFinished(StepOutcome outcome);

    @ActivityMethod
    void runFinished(RunOutcome outcome);

    /** Looks up an earlier successful step with the same cache key; on a hit the step is recorded CACHED. */
    @ActivityMethod
    CacheResult findCached(CacheQuery query);

    /** Records that a step waits, and why (for approval: until a user approves or rejects it). */
    @ActivityMethod
    void stepWaiting(String runId, String step, String reason);

    /**
     * True when {@code plan} is the plan recorded for its run, {@code workflowId} is that run's workflow and the run
     * has not ended: whoever reaches Temporal can start a workflow, only the server records a run.
     */
    @ActivityMethod
    boolean planRecorded(String workflowId, RunPlan plan);

    /** The decision recorded for a step waiting for approval; null while there is none. */
    @ActivityMethod
    ApprovalDecision approvalRecorded(String runId, String step);
}
