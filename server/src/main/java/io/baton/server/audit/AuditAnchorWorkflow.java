package io.baton.server.audit;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The audit chain's anchors outside the database: every head a server wrote arrives as a signal, so it stays in
 * this workflow's history; after {@code perRun} heads the workflow continues as new, carrying the last one.
 */
@WorkflowInterface
public interface AuditAnchorWorkflow {
    String SIGNAL = "anchor";

    /** What a run starts with: the head the run before it ended at (null for the first) and its length. */
    record Start(AuditAnchor carried, int perRun) {}

    @WorkflowMethod
    void run(Start start);

    @SignalMethod(name = SIGNAL)
    void anchor(AuditAnchor head);

    /** The heads this run has received. */
    @QueryMethod
    List<AuditAnchor> anchors();
}
