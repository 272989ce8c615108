package io.baton.server.attempts;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.core.Json;
import io.baton.server.db.ApprovalDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.RunStatus;
import java.util.Comparator;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's workflow asks the record before it trusts what reached it through Temporal: whether its plan is the
 * one the server recorded, and what a user decided about a step waiting for approval.
 */
public final class WorkflowRecordChecks {
    private static final Logger log = LoggerFactory.getLogger(WorkflowRecordChecks.class);
    private final Jdbi jdbi;

    public WorkflowRecordChecks(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** True when {@code plan} is its run's recorded plan, {@code workflowId} the run's workflow, the run not ended. */
    public boolean planRecorded(String workflowId, RunPlan plan) {
        if (plan == null
                || plan.runId() == null
                || !PipelineWorkflow.workflowId(plan.runId()).equals(workflowId)) {
            log.warn(
                    "workflow {} was started with the plan of another run ({}): refused",
                    workflowId,
                    plan == null ? null : plan.runId());
            return false;
        }
        Optional<RunRow> run = jdbi.onDemand(RunDao.class).find(plan.runId());
        if (run.isEmpty() || RunStatus.valueOf(run.get().status()).terminal()) {
            log.warn(
                    "workflow {} was started for a run that is {}: refused",
                    workflowId,
                    run.map(r -> "already " + r.status()).orElse("not recorded"));
            return false;
        }
        if (Json.write(plan).equals(run.get().plan())) {
            return true; // written as the server wrote it: the usual case, one serialization
        }
        // both as the same records, then as trees: field order and a number's Java type may differ, the content may not
        JsonNode recorded = Json.MAPPER.valueToTree(Json.read(run.get().plan(), RunPlan.class));
        boolean same = recorded.equals(SAME_VALUE, Json.MAPPER.valueToTree(plan));
        if (!same) {
            log.warn(
                    "workflow {} was given a plan that differs from run {}'s record: refused",
                    workflowId,
                    plan.runId());
        }
        return same;
    }

    /** Equal nodes, or numbers of equal value (3 read as an int on one side, as a long on the other). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) ->
            a.equals(b) || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

    /** The decision the approve or reject route recorded for the step; null while there is none. */
    public ApprovalDecision approvalRecorded(String runId, String step) {
        return jdbi.onDemand(ApprovalDao.class)
                .find(runId, step)
                .map(a -> new ApprovalDecision(step, a.approved(), a.decidedBy(), a.note()))
                .orElse(null);
    }
}
