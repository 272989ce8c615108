package io.baton.server.access;

import io.baton.server.api.MemberRequest;
import io.baton.server.api.MemberView;
import io.baton.server.api.ProjectRequest;
import io.baton.server.api.ProjectView;
import io.baton.server.api.TeamRequest;
import io.baton.server.api.TeamView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Projects;
import io.baton.server.db.MemberRow;
import io.baton.server.db.ProjectDao;
import io.baton.server.db.ProjectRow;
import io.baton.server.db.TeamRow;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/** Projects, their members and teams. Whoever creates a project is its first admin. */
public final class ProjectService {
    private static final Pattern TEAM = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    /** The team every user is in without being added. */
    public static final String EVERYONE = "everyone";

    private final Jdbi jdbi;
    private final Access access;

    public ProjectService(Jdbi jdbi, Access access) {
        this.jdbi = jdbi;
        this.access = access;
    }

    public ProjectView create(ProjectRequest request, Caller caller) {
        if (request == null || request.name() == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name'");
        }
        if (caller.userId() == null && !caller.admin()) {
            throw BatonException.badRequest("only a user creates projects");
        }
        String name = Projects.check(request.name());
        if (!Character.isLetter(name.charAt(0))) {
            throw BatonException.badRequest("a new project's name starts with a letter ([a-z][a-z0-9-]{0,62}), not '"
                    + name + "': in a reference such as proj/name/3, a number is always a version");
        }
        if (request.description() != null && request.description().length() > 10_000) {
            throw BatonException.badRequest("'description' may have at most 10000 characters");
        }
        long now = System.currentTimeMillis();
        ProjectRow row = new ProjectRow(name, request.description(), caller.name(), caller.userId(), now);
        jdbi.useTransaction(h -> {
            ProjectDao dao = h.attach(ProjectDao.class);
            if (dao.find(name).isPresent()) {
                throw BatonException.conflict("a project named '" + name + "' exists");
            }
            dao.insert(row);
            if (caller.userId() != null) {
                dao.addMember(new MemberRow(
                        name, MemberRow.USER, caller.userId(), Role.ADMIN.wire(), true, true, caller.name(), now));
            }
        });
        access.changed();
        return view(row, caller);
    }

    /** The projects the caller may read (every one for a global admin), by name. */
    public List<ProjectView> list(Caller caller, String after, int limit) {
        ProjectDao dao = jdbi.onDemand(ProjectDao.class);
        String from = after == null ? "" : after;
        Optional<List<String>> readable = access.readable(caller);
        List<ProjectRow> rows = readable.isEmpty()
                ? dao.page(from, limit)
                : readable.get().isEmpty() ? List.of() : dao.pageOf(readable.get(), from, limit);
        return rows.stream().map(r -> view(r, caller)).toList();
    }

    public ProjectView get(String project, Caller caller) {
        access.require(caller, project, Permission.READ);
        return view(jdbi.onDemand(ProjectDao.class).find(project).orElseThrow(() -> Access.noProject(project)), caller);
    }

    public List<MemberView> members(String project, Caller caller) {
        access.require(caller, project, Permission.READ);
        ProjectDao dao = jdbi.onDemand(ProjectDao.class);
        UserDao users = jdbi.onDemand(UserDao.class);
        List<MemberView> out = new ArrayList<>();
        for (MemberRow m : dao.members(project)) {
            String name = m.memberKind().equals(MemberRow.USER)
                    ? users.find(m.member()).map(UserRow::name).orElse(m.member())
                    : m.member();
            out.add(view(m, name));
        }
        return out;
    }

    /** {@code PUT /projects/{p}/members/{member}}: a user or team gets a role (replacing any it had). */
    public MemberView setMember(String project, String member, MemberRequest request, Caller caller) {
        access.require(caller, project, Permission.MANAGE);
        if (request == null || request.role() == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'role' (viewer, editor or admin)");
        }
        Role role = Role.parse(request.role());
        boolean approve = false;
        boolean promote = false;
        for (String p : request.permissions() == null ? List.<String>of() : request.permissions()) {
            if ("approve".equals(p)) {
                approve = true;
            } else if ("promote".equals(p)) {
                promote = true;
            } else {
                throw BatonException.badRequest("'permissions' may hold 'approve' and 'promote', not '" + p + "'");
            }
        }
        Map.Entry<String, String> target = resolve(member);
        MemberRow row = new MemberRow(
                project,
                target.getKey(),
                target.getValue(),
                role.wire(),
                approve,
                promote,
                caller.name(),
                System.currentTimeMillis());
        jdbi.useTransaction(h -> {
            ProjectDao dao = h.attach(ProjectDao.class);
            dao.removeMember(project, row.memberKind(), row.member());
            dao.addMember(row);
        });
        access.changed();
        return view(row, member);
    }

    public void removeMember(String project, String member, Caller caller) {
        access.require(caller, project, Permission.MANAGE);
        Map.Entry<String, String> target = resolve(member);
        if (target.getKey().equals(MemberRow.USER) && target.getValue().equals(caller.userId()) && !caller.admin()) {
            throw BatonException.badRequest("you cannot remove yourself; another admin of the project can");
        }
        if (jdbi.onDemand(ProjectDao.class).removeMember(project, target.getKey(), target.getValue()) == 0) {
            throw BatonException.notFound("'" + member + "' is not a member of project '" + project + "'");
        }
        access.changed();
    }

    public TeamView createTeam(TeamRequest request, Caller caller) {
        if (request == null
                || request.name() == null
                || !TEAM.matcher(request.name()).matches()) {
            throw BatonException.badRequest("'name' must match [a-z][a-z0-9-]{0,62}");
        }
        if (jdbi.onDemand(UserDao.class).findByName(request.name()).isPresent()) {
            throw BatonException.conflict("'" + request.name() + "' is a user's name; users and teams share names");
        }
        TeamRow row = new TeamRow(request.name(), request.description(), caller.name(), System.currentTimeMillis());
        jdbi.useTransaction(h -> {
            ProjectDao dao = h.attach(ProjectDao.class);
            if (dao.findTeam(row.name()).isPresent()) {
                throw BatonException.conflict("a team named '" + row.name() + "' exists");
            }
            dao.insertTeam(row);
        });
        return team(row);
    }

    /** A team, creating it when missing (the OIDC groups claim names teams). */
    public void ensureTeam(String name, String createdBy) {
        ProjectDao dao = jdbi.onDemand(ProjectDao.class);
        if (TEAM.matcher(name).matches() && dao.findTeam(name).isEmpty()) {
            try {
                dao.insertTeam(new TeamRow(name, null, createdBy, System.currentTimeMillis()));
            } catch (RuntimeException raced) {
                // created by another sign-in at the same moment
            }
        }
    }

    public List<TeamView> teams() {
        return jdbi.onDemand(ProjectDao.class).teams().stream().map(this::team).toList();
    }

    public TeamView team(String name) {
        return team(findTeam(name));
    }

    public TeamView addToTeam(String team, String user, Caller caller) {
        TeamRow row = findTeam(team);
        if (row.name().equals(EVERYONE)) {
            throw BatonException.badRequest("team 'everyone' holds every user already");
        }
        UserRow u = jdbi.onDemand(UserDao.class)
                .findByName(user)
                .orElseThrow(() -> BatonException.notFound("no user '" + user + "'"));
        jdbi.onDemand(ProjectDao.class).addTeamMember(team, u.id(), caller.name(), System.currentTimeMillis());
        access.changed();
        return team(row);
    }

    public void removeFromTeam(String team, String user) {
        findTeam(team);
        UserRow u = jdbi.onDemand(UserDao.class)
                .findByName(user)
                .orElseThrow(() -> BatonException.notFound("no user '" + user + "'"));
        if (jdbi.onDemand(ProjectDao.class).removeTeamMember(team, u.id()) == 0) {
            throw BatonException.notFound("user '" + user + "' is not in team '" + team + "'");
        }
        access.changed();
    }

    private TeamRow findTeam(String name) {
        return jdbi.onDemand(ProjectDao.class)
                .findTeam(name == null ? "" : name)
                .orElseThrow(() -> BatonException.notFound("no team '" + name + "'"));
    }

    /** A member's name to (kind, id): a user's id, or a team's name. */
    private Map.Entry<String, String> resolve(String member) {
        Optional<UserRow> user = jdbi.onDemand(UserDao.class).findByName(member == null ? "" : member);
        if (user.isPresent()) {
            return Map.entry(MemberRow.USER, user.get().id());
        }
        if (member != null && jdbi.onDemand(ProjectDao.class).findTeam(member).isPresent()) {
            return Map.entry(MemberRow.TEAM, member);
        }
        throw BatonException.notFound("no user or team '" + member + "'");
    }

    private TeamView team(TeamRow t) {
        List<String> members = t.name().equals(EVERYONE)
                ? List.of()
                : jdbi.onDemand(ProjectDao.class).teamMemberNames(t.name());
        return new TeamView(t.name(), t.description(), t.createdBy(), Instant.ofEpochMilli(t.createdAt()), members);
    }

    private ProjectView view(ProjectRow r, Caller caller) {
        ProjectRights rights = access.rights(caller, r.name());
        return new ProjectView(
                r.name(),
                r.description(),
                r.createdBy(),
                r.createdById(),
                Instant.ofEpochMilli(r.createdAt()),
                rights.role() == null ? null : rights.role().wire());
    }

    private static MemberView view(MemberRow m, String name) {
        List<String> permissions = new ArrayList<>();
        if (m.canApprove()) {
            permissions.add("approve");
        }
        if (m.canPromote()) {
            permissions.add("promote");
        }
        return new MemberView(
                m.project(),
                m.memberKind().equals(MemberRow.USER) ? "user" : "team",
                name,
                m.role(),
                permissions,
                m.grantedBy(),
                Instant.ofEpochMilli(m.grantedAt()));
    }
}
