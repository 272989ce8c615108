package io.baton.server.runs;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.db.RunDao;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/** Access to a run by its id: through its project, a 404 for a caller with no role there (as for an unknown run). */
public final class RunAccess {
    private static final int MAX_KNOWN = 100_000;
    private final Jdbi jdbi;
    private final Access access;
    /** A run's project never changes. */
    private final Map<String, String> projects = new ConcurrentHashMap<>();

    public RunAccess(Jdbi jdbi, Access access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    /** Passes when the caller has {@code permission} in the run's project; returns that project. */
    public String require(Caller caller, String runId, Permission permission) {
        String project = projects.get(runId);
        if (project == null) {
            project = jdbi.onDemand(RunDao.class).projectOf(runId).orElseThrow(() -> noRun(runId));
            if (projects.size() >= MAX_KNOWN) {
                projects.clear();
            }
            projects.put(runId, project);
        }
        access.require(caller, project, permission, () -> noRun(runId));
        return project;
    }

    /** Whether the caller has {@code permission} in the run's project (false for an unknown run). */
    public boolean can(Caller caller, String runId, Permission permission) {
        try {
            require(caller, runId, permission);
            return true;
        } catch (BatonException e) {
            return false;
        }
    }

    public Access access() {
        return access;
    }

    private static BatonException noRun(String id) {
        return BatonException.notFound("no run with id '" + id + "'");
    }
}
