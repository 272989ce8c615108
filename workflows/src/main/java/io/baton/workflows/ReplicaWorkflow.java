package io.baton.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One replica of an endpoint, a child of its {@link EndpointWorkflow} that outlives the parent's continue-as-new: runs
 * the replica's activity on a worker until cancelled or until it ends, records how it ended and tells the parent.
 */
@WorkflowInterface
public interface ReplicaWorkflow {
    static String workflowId(String replicaId) {
        return "replica-" + replicaId;
    }

    @WorkflowMethod
    void run(ReplicaRequest request, String taskQueue, String endpointWorkflowId);
}
