package io.baton.server.access;

import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.MemberRow;
import io.baton.server.db.ProjectDao;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Who may do what in which project. A global admin may do everything in every project; a user what their roles
 * (their own, their teams', team {@code everyone}'s) give; an attempt token reads its run's project only; a worker
 * token no project at all. A caller with no role in a project learns nothing of it: 404, never 403.
 */
public final class Access {
    /**
     * How long a user's grants are trusted without asking the database again. A change made through this server
     * takes effect at once; one made through another server of the same database, within this time.
     */
    static final long TRUSTED_MILLIS = 5_000;

    private static final int MAX_TRUSTED = 10_000;
    private final Jdbi jdbi;
    private final Map<String, Grants> trusted = new ConcurrentHashMap<>();
    private volatile Known projects = new Known(Map.of(), 0);

    private record Grants(Map<String, ProjectRights> byProject, long until) {}

    private record Known(Map<String, Boolean> names, long until) {}

    public Access(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The caller's rights in {@code project} (none where the project does not exist). */
    public ProjectRights rights(Caller caller, String project) {
        if (caller == null || project == null || !exists(project)) {
            return ProjectRights.NONE;
        }
        if (caller.admin()) {
            return ProjectRights.ALL;
        }
        if (caller.attempt() != null) {
            return project.equals(caller.attempt().project())
                    ? new ProjectRights(Role.VIEWER, false, false)
                    : ProjectRights.NONE;
        }
        if (caller.userId() == null) {
            return ProjectRights.NONE;
        }
        return grants(caller.userId()).getOrDefault(project, ProjectRights.NONE);
    }

    public boolean can(Caller caller, String project, Permission permission) {
        return rights(caller, project).has(permission);
    }

    /**
     * Passes when the caller has {@code permission} in {@code project}; otherwise {@code notFound}'s 404 when it has no
     * role there (so that it learns nothing), and a 403 that says what is missing when it has one.
     */
    public void require(Caller caller, String project, Permission permission, Supplier<BatonException> notFound) {
        AuditNote.project(project); // the project a changing request acts in, for its audit entry
        ProjectRights rights = rights(caller, project);
        if (rights.has(permission)) {
            return;
        }
        if (rights.role() == null) {
            throw notFound.get();
        }
        throw forbidden(project, rights, permission);
    }

    /** As {@link #require}, for a route about the project itself: 404 "no project". */
    public void require(Caller caller, String project, Permission permission) {
        require(caller, project, permission, () -> noProject(project));
    }

    /** The projects the caller may read, or empty for a global admin (every project). */
    public Optional<List<String>> readable(Caller caller) {
        if (caller.admin()) {
            return Optional.empty();
        }
        if (caller.attempt() != null) {
            return Optional.of(List.of(caller.attempt().project()));
        }
        if (caller.userId() == null) {
            return Optional.of(List.of());
        }
        return Optional.of(grants(caller.userId()).entrySet().stream()
                .filter(e -> e.getValue().has(Permission.READ))
                .map(Map.Entry::getKey)
                .sorted()
                .toList());
    }

    /** Every project the user has a role in, with their rights (for {@code GET /me}). */
    public Map<String, ProjectRights> grants(String userId) {
        long now = System.currentTimeMillis();
        Grants known = trusted.get(userId);
        if (known != null && known.until() > now) {
            return known.byProject();
        }
        Map<String, ProjectRights> byProject = new HashMap<>();
        for (MemberRow m : jdbi.onDemand(ProjectDao.class).grantsOf(userId)) {
            ProjectRights r = new ProjectRights(Role.parse(m.role()), m.canApprove(), m.canPromote());
            byProject.merge(m.project(), r, ProjectRights::and);
        }
        if (trusted.size() >= MAX_TRUSTED) {
            trusted.clear();
        }
        Map<String, ProjectRights> copy = Map.copyOf(byProject);
        trusted.put(userId, new Grants(copy, now + TRUSTED_MILLIS));
        return copy;
    }

    /** Forgets every cached grant: a member, team or project changed through this server. */
    public void changed() {
        trusted.clear();
        projects = new Known(Map.of(), 0);
    }

    public boolean exists(String project) {
        long now = System.currentTimeMillis();
        Known known = projects;
        if (known.until() <= now) {
            known = new Known(new ConcurrentHashMap<>(), now + TRUSTED_MILLIS);
            projects = known;
        }
        // read outside the map's lock: a database round trip must not block other projects' lookups
        Boolean exists = known.names().get(project);
        if (exists == null) {
            exists = jdbi.onDemand(ProjectDao.class).find(project).isPresent();
            known.names().put(project, exists);
        }
        return exists;
    }

    public static BatonException noProject(String project) {
        return BatonException.notFound("no project '" + project + "' (or you have no role in it)");
    }

    private static BatonException forbidden(String project, ProjectRights rights, Permission permission) {
        String needs = switch (permission) {
            case APPROVE -> "the 'approve' permission (or the admin role)";
            case PROMOTE -> "the 'promote' permission (or the admin role)";
            default -> "the " + permission.role().wire() + " role";
        };
        return new BatonException(
                403,
                ErrorCodes.FORBIDDEN,
                "you are " + rights.role().wire() + " in project '" + project + "'; this needs " + needs);
    }
}
