package io.baton.server.audit;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** Holds heads until {@code perRun} arrived, then continues as new with the last one. */
public final class AuditAnchorWorkflowImpl implements AuditAnchorWorkflow {
    private final List<AuditAnchor> anchors = new ArrayList<>();

    @Override
    public void run(Start start) {
        int perRun = Math.max(1, start.perRun());
        Workflow.await(() -> anchors.size() >= perRun);
        Workflow.continueAsNew(new Start(anchors.get(anchors.size() - 1), perRun));
    }

    @Override
    public void anchor(AuditAnchor head) {
        anchors.add(head);
    }

    @Override
    public List<AuditAnchor> anchors() {
        return List.copyOf(anchors);
    }
}
