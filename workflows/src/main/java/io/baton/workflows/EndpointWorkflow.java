package io.baton.workflows;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Keeps one endpoint's replicas running as its record asks (docs/endpoints.md): starts and replaces replicas, rolls
 * out a new revision before traffic moves to it, runs a canary, drains and stops what is no longer served.
 */
@WorkflowInterface
public interface EndpointWorkflow {
    static String workflowId(String endpointId) {
        return "endpoint-" + endpointId;
    }

    /** {@code state}: {@link EndpointState#start(String)} at first, then what a continued-as-new run hands on. */
    @WorkflowMethod
    void run(EndpointState state);

    /** The endpoint's record changed (a rollout, a canary, a promotion, a rollback, a new replica count, a delete). */
    @SignalMethod
    void changed();

    /** A replica answers its health path; the server recorded its address. */
    @SignalMethod
    void replicaReady(String replicaId);

    /** A replica ended ({@code status}: STOPPED, FAILED or LOST; {@code message}: why), as its workflow recorded. */
    @SignalMethod
    void replicaEnded(String replicaId, String status, String message);
}
