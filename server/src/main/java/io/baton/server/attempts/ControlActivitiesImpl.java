package io.baton.server.attempts;

import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.CacheQuery;
import io.baton.workflows.CacheResult;
import io.baton.workflows.ControlActivities;
import io.baton.workflows.RecordedStep;
import io.baton.workflows.RunOutcome;
import io.baton.workflows.RunPlan;
import io.baton.workflows.StepOutcome;

/** The workflow's metadata writes, run as local activities in the server process. */
public final class ControlActivitiesImpl implements ControlActivities {
    private final StepEnds stepEnds;
    private final WorkflowRecordChecks checks;

    public ControlActivitiesImpl(StepEnds stepEnds, WorkflowRecordChecks checks) {
        this.stepEnds = stepEnds;
        this.checks = checks;
    }

    @Override
    public RecordedStep stepFinished(StepOutcome outcome) {
        return stepEnds.stepFinished(outcome);
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        stepEnds.runFinished(outcome);
    }

    @Override
    public CacheResult findCached(CacheQuery query) {
        return stepEnds.findCached(query);
    }

    @Override
    public void stepWaiting(String runId, String step, String reason) {
        stepEnds.stepWaiting(runId, step, reason);
    }

    @Override
    public boolean planRecorded(String workflowId, RunPlan plan) {
        return checks.planRecorded(workflowId, plan);
    }

    @Override
    public ApprovalDecision approvalRecorded(String runId, String step) {
        return checks.approvalRecorded(runId, step);
    }
}
