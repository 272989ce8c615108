package io.baton.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A schedule's action: records the run of one fire through the server, then runs it as a child workflow, so that the
 * schedule's overlap policy acts on runs. Its only argument is the schedule's id: the definition is the server's.
 */
@WorkflowInterface
public interface ScheduledRunWorkflow {
    /** The Temporal Schedule of a Baton schedule. */
    static String scheduleId(String scheduleId) {
        return "schedule-" + scheduleId;
    }

    /** The workflow id its action starts (Temporal appends the fire time). */
    static String actionWorkflowId(String scheduleId) {
        return "scheduled-" + scheduleId;
    }

    @WorkflowMethod
    void run(String scheduleId);
}
