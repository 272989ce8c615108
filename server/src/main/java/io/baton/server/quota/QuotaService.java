package io.baton.server.quota;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.QuotaRequest;
import io.baton.server.api.QuotaView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Projects;
import io.baton.server.db.QuotaDao;
import io.baton.server.db.QuotaRow;
import io.baton.server.db.UserDao;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Quotas of users and projects (global admins set them; users read their own, project admins their project's). */
public final class QuotaService {
    /** The largest cap and share taken: beyond them a typo, not a limit. */
    static final int MAX_CAP = 100_000;

    static final double MAX_SHARE = 1000;

    private final Jdbi jdbi;
    private final Access access;

    public QuotaService(Jdbi jdbi, Access access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    /** A project's share of its pools' fair queues, for a new run's plan; null when none was set (Temporal's 1). */
    public static Double share(Jdbi jdbi, String project) {
        return jdbi.withExtension(QuotaDao.class, dao -> dao.share(project).orElse(null));
    }

    public List<QuotaView> all() {
        return jdbi.withExtension(
                QuotaDao.class,
                dao -> dao.all().stream()
                        .map(q -> view(dao, q.kind(), q.name()))
                        .toList());
    }

    public QuotaView user(String name, Caller caller) {
        if (!caller.admin() && !name.equals(caller.name())) {
            throw noUser(name); // another user's quota is theirs and the admins' to read
        }
        requireUser(name);
        return jdbi.withExtension(QuotaDao.class, dao -> view(dao, QuotaRow.USER, name));
    }

    public QuotaView project(String project, Caller caller) {
        Projects.check(project);
        access.require(caller, project, Permission.MANAGE, () -> Access.noProject(project));
        if (!access.exists(project)) {
            throw Access.noProject(project);
        }
        return jdbi.withExtension(QuotaDao.class, dao -> view(dao, QuotaRow.PROJECT, project));
    }

    /** Sets a user's caps (a global admin's call); null caps lift them. */
    public QuotaView setUser(String name, QuotaRequest request, Caller caller) {
        check(request);
        if (request.share() != null) {
            throw BatonException.badRequest("'share' is a project's; a user's quota has 'steps' and 'gpus'");
        }
        requireUser(name);
        return set(QuotaRow.USER, name, request, caller);
    }

    /** Sets a project's caps and share (a global admin's call); null caps lift them, a null share is 1. */
    public QuotaView setProject(String project, QuotaRequest request, Caller caller) {
        check(request);
        Projects.check(project);
        if (!access.exists(project)) {
            throw Access.noProject(project);
        }
        return set(QuotaRow.PROJECT, project, request, caller);
    }

    private QuotaView set(String kind, String name, QuotaRequest request, Caller caller) {
        QuotaRow row = new QuotaRow(
                kind,
                name,
                request.steps(),
                request.gpus(),
                request.share(),
                caller.name(),
                System.currentTimeMillis());
        return jdbi.inTransaction(h -> {
            QuotaDao dao = h.attach(QuotaDao.class);
            dao.delete(kind, name);
            if (row.caps() || row.share() != null) {
                dao.insert(row);
            }
            return view(dao, kind, name);
        });
    }

    private static void check(QuotaRequest request) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'steps' and/or 'gpus' (null: no cap)");
        }
        checkCap("steps", request.steps());
        checkCap("gpus", request.gpus());
        if (request.share() != null
                && (request.share().isNaN() || request.share() <= 0 || request.share() > MAX_SHARE)) {
            throw BatonException.badRequest(
                    "'share' must be more than 0 and at most " + (int) MAX_SHARE + ", not " + request.share());
        }
    }

    private static void checkCap(String name, Integer cap) {
        if (cap != null && (cap < 0 || cap > MAX_CAP)) {
            throw BatonException.badRequest(
                    "'" + name + "' must be 0 to " + MAX_CAP + " (or null: no cap), not " + cap);
        }
    }

    private void requireUser(String name) {
        if (name.length() > 100
                || jdbi.withExtension(UserDao.class, dao -> dao.findByName(name))
                        .isEmpty()) {
            throw noUser(name);
        }
    }

    private static BatonException noUser(String name) {
        return BatonException.notFound("no user '" + name + "' whose quota you may read");
    }

    private static QuotaView view(QuotaDao dao, String kind, String name) {
        QuotaRow row = dao.find(kind, name).orElse(null);
        QuotaDao.Usage usage =
                QuotaRow.USER.equals(kind) ? dao.usageOfUser(name, "", "") : dao.usageOfProject(name, "", "");
        boolean project = QuotaRow.PROJECT.equals(kind);
        return new QuotaView(
                project ? "project" : "user",
                name,
                row == null ? null : row.maxSteps(),
                row == null ? null : row.maxGpus(),
                project ? (row == null || row.share() == null ? 1.0 : row.share()) : null,
                new QuotaView.Running(usage.steps(), usage.gpus()),
                row == null ? null : row.setBy(),
                row == null ? null : Instant.ofEpochMilli(row.setAt()));
    }
}
