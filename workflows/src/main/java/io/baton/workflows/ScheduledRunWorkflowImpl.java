package io.baton.workflows;

import static io.baton.workflows.SearchAttributes.PIPELINE;
import static io.baton.workflows.SearchAttributes.PROJECT;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.OffsetDateTime;
import org.slf4j.Logger;

/** Records a fire's run through the server, then runs it as a child and waits for it (docs/schedules.md). */
public final class ScheduledRunWorkflowImpl implements ScheduledRunWorkflow {
    /** Set by Temporal on every workflow a schedule starts: the fire's time (a trigger's or backfill's too). */
    static final SearchAttributeKey<OffsetDateTime> SCHEDULED_START =
            SearchAttributeKey.forOffsetDateTime("TemporalScheduledStartTime");

    private static final Logger log = Workflow.getLogger(ScheduledRunWorkflowImpl.class);

    private final ScheduleActivities schedules = Workflow.newLocalActivityStub(
            ScheduleActivities.class,
            // the database may be away for a while: a fire must not be lost to a restart of it
            RecordWrites.options(60));

    @Override
    public void run(String scheduleId) {
        OffsetDateTime at = Workflow.getTypedSearchAttributes().get(SCHEDULED_START);
        long scheduledAt = at != null ? at.toInstant().toEpochMilli() : Workflow.currentTimeMillis();
        ScheduledFire fire = schedules.recordFire(scheduleId, scheduledAt);
        if (fire.plan() == null) {
            log.info("schedule {} recorded no run: {}", scheduleId, fire.reason());
            return;
        }
        RunPlan plan = fire.plan();
        ChildWorkflowOptions.Builder options = ChildWorkflowOptions.newBuilder()
                .setWorkflowId(PipelineWorkflow.workflowId(plan.runId()))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setPriority(FairTurns.priority(plan));
        if (fire.searchAttributes()) {
            options.setTypedSearchAttributes(SearchAttributes.newBuilder()
                    .set(PROJECT, plan.project())
                    .set(PIPELINE, plan.pipeline())
                    .build());
        }
        PipelineWorkflow run = Workflow.newChildWorkflowStub(PipelineWorkflow.class, options.build());
        try {
            run.run(plan);
        } catch (ChildWorkflowFailure e) {
            // the run failed, was cancelled, or its workflow existed already (a replayed fire, the reconciler): the
            // run's record says how it went; the schedule's action itself succeeded
            log.info("run {} of schedule {} ended: {}", plan.runId(), scheduleId, e.getMessage());
        }
    }
}
