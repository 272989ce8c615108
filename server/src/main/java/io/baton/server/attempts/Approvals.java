package io.baton.server.attempts;

import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.db.ApprovalDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.StepStatus;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Approve or reject a step waiting for approval: the decision (who, their note) is recorded first, then sent to
 * the run's workflow as a signal. A step is decided once.
 */
public final class Approvals {
    private final Jdbi jdbi;
    private final TemporalService temporal;

    public Approvals(Jdbi jdbi, TemporalService temporal) {
        this.jdbi = jdbi;
        this.temporal = temporal;
    }

    public void decide(String runId, String step, boolean approved, String note, Caller caller) {
        if (note != null && note.length() > 4000) {
            throw BatonException.badRequest("'note' may be at most 4000 characters");
        }
        jdbi.onDemand(RunDao.class)
                .find(runId)
                .orElseThrow(() -> BatonException.notFound("no run with id '" + runId + "'"));
        StepRow row = jdbi.onDemand(StepDao.class)
                .find(runId, step)
                .orElseThrow(() -> BatonException.notFound("run " + runId + " has no step '" + step + "'"));
        if (!StepStatus.WAITING.name().equals(row.status())) {
            throw BatonException.conflict("step '" + step + "' is " + row.status() + ", not WAITING for approval");
        }
        try {
            jdbi.onDemand(ApprovalDao.class)
                    .insert(runId, step, approved, caller.name(), caller.userId(), note, System.currentTimeMillis());
        } catch (UnableToExecuteStatementException e) {
            throw BatonException.conflict("step '" + step + "' of run " + runId + " was already decided");
        }
        temporal.signalDecision(runId, new ApprovalDecision(step, approved, caller.name(), note));
    }
}
