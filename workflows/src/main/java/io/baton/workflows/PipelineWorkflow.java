package io.baton.workflows;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One run of a pipeline: runs the steps of its plan as a DAG and returns how the run ended. */
@WorkflowInterface
public interface PipelineWorkflow {
    /** The workflow id of a run, so that anyone can find a run's workflow from its id. */
    static String workflowId(String runId) {
        return "run-" + runId;
    }

    @WorkflowMethod
    RunStatus run(RunPlan plan);

    /**
     * A user approved or rejected a step waiting for approval. Only a wake-up: the decision is read from the run's
     * record (runs from before that read it from the signal).
     */
    @SignalMethod
    void decide(ApprovalDecision decision);
}
