package io.baton.server.access;

import io.baton.server.api.LoginRequest;
import io.baton.server.api.LoginView;
import io.baton.server.api.MeView;
import io.baton.server.api.UserRequest;
import io.baton.server.api.UserView;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Ids;
import io.baton.server.db.ProjectDao;
import io.baton.server.db.TeamRow;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Users: created by global admins (or on a first OIDC sign-in), signing in with a password, and who they are. */
public final class UserService {
    /** User names: unique, and what every record's {@code createdBy} shows. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]{0,99}");

    static final int ADDRESS_FACTOR = 10;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,200}@[^@\\s]{1,200}");
    private final Jdbi jdbi;
    private final TokenService tokens;
    private final Access access;
    private final long sessionMillis;
    private final LoginThrottle throttle;
    /** An address may be many people (an office behind one NAT): it gets more tries than one user name. */
    private final LoginThrottle addressThrottle;

    public UserService(
            Jdbi jdbi, TokenService tokens, Access access, long sessionMillis, int failures, long windowMillis) {
        this.jdbi = jdbi;
        this.tokens = tokens;
        this.access = access;
        this.sessionMillis = sessionMillis;
        this.throttle = new LoginThrottle(failures, windowMillis);
        this.addressThrottle = new LoginThrottle(failures * ADDRESS_FACTOR, windowMillis);
    }

    public UserView create(UserRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name'");
        }
        checkName(request.name());
        if (request.email() != null && !EMAIL.matcher(request.email()).matches()) {
            throw BatonException.badRequest("'email' must be an address like name@example.org");
        }
        String hash = null;
        if (request.password() != null) {
            checkPassword(request.password());
            hash = Passwords.hash(request.password());
        }
        UserRow row = new UserRow(
                Ids.newId(),
                request.name(),
                request.email(),
                hash,
                Boolean.TRUE.equals(request.admin()),
                null,
                caller.name(),
                System.currentTimeMillis(),
                null);
        insert(row);
        return view(row);
    }

    /** A user created on a first OIDC sign-in, or found by their issuer's subject. */
    public UserRow oidcUser(String subject, String preferredName, String email) {
        UserDao users = jdbi.onDemand(UserDao.class);
        Optional<UserRow> known = users.findBySubject(subject);
        if (known.isPresent()) {
            return known.get();
        }
        String base = preferredName != null && NAME.matcher(preferredName).matches() ? preferredName : "user";
        String name = base;
        // users and teams share names: a team's name is taken too (the sign-in would fail on it forever)
        ProjectDao teams = jdbi.onDemand(ProjectDao.class);
        for (int i = 2;
                users.findByName(name).isPresent() || teams.findTeam(name).isPresent();
                i++) {
            name = base + "-" + i;
        }
        UserRow row =
                new UserRow(Ids.newId(), name, email, null, false, subject, "oidc", System.currentTimeMillis(), null);
        insert(row);
        return row;
    }

    private void insert(UserRow row) {
        if (jdbi.onDemand(ProjectDao.class).findTeam(row.name()).isPresent()) {
            throw BatonException.conflict("'" + row.name() + "' is a team's name; users and teams share names");
        }
        try {
            jdbi.useExtension(UserDao.class, dao -> dao.insert(row));
        } catch (UnableToExecuteStatementException e) {
            if (jdbi.onDemand(UserDao.class).findByName(row.name()).isPresent()) {
                throw BatonException.conflict("a user named '" + row.name() + "' exists");
            }
            throw e;
        }
    }

    public List<UserView> list(String after, int limit) {
        return jdbi.onDemand(UserDao.class).page(after == null ? "" : after, limit).stream()
                .map(UserService::view)
                .toList();
    }

    public UserView get(String name) {
        return view(find(name));
    }

    /** Disables a user: their tokens stop working at once, their records keep their name. */
    public void disable(String name, Caller caller) {
        UserRow user = find(name);
        if (user.id().equals(caller.userId())) {
            throw BatonException.badRequest("you cannot disable yourself");
        }
        jdbi.onDemand(UserDao.class).disable(user.id(), System.currentTimeMillis());
        tokens.revokeOfUser(user.id());
        access.changed();
    }

    public void setPassword(String name, String password, Caller caller) {
        UserRow user = find(name);
        if (!caller.admin() && !user.id().equals(caller.userId())) {
            throw BatonException.notFound("no user '" + name + "'");
        }
        checkPassword(password);
        jdbi.onDemand(UserDao.class).setPassword(user.id(), Passwords.hash(password));
    }

    /** {@code POST /api/v1/login}: a session token for the right password; 401 for any wrong one. */
    public LoginView login(LoginRequest request, String address) {
        if (request == null || request.name() == null || request.password() == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name' and 'password'");
        }
        if (request.name().length() > 100 || request.password().length() > Passwords.MAX_LENGTH) {
            throw BatonException.badRequest("'name' or 'password' is too long");
        }
        long now = System.currentTimeMillis();
        String byName = "user:" + request.name().toLowerCase(Locale.ROOT);
        String byAddress = "address:" + address;
        long wait =
                Math.max(throttle.retryAfterSeconds(byName, now), addressThrottle.retryAfterSeconds(byAddress, now));
        if (wait > 0) {
            throw new TooManyAttempts(wait);
        }
        Optional<UserRow> user = jdbi.onDemand(UserDao.class)
                .findByName(request.name())
                .filter(u -> u.disabledAt() == null && u.passwordHash() != null);
        boolean ok;
        if (user.isPresent()) {
            ok = Passwords.matches(request.password(), user.get().passwordHash());
        } else {
            Passwords.burn(request.password()); // the same time as for a real user: names cannot be probed
            ok = false;
        }
        if (!ok) {
            throttle.failed(byName, now);
            addressThrottle.failed(byAddress, now);
            throw new BatonException(401, ErrorCodes.UNAUTHORIZED, "wrong user name or password");
        }
        throttle.succeeded(byName);
        var token = tokens.session(user.get(), sessionMillis);
        return new LoginView(token.token(), token.expiresAt(), view(user.get()));
    }

    /** {@code GET /api/v1/me}. */
    public MeView me(Caller caller) {
        if (caller.userId() == null) {
            // a worker or an attempt: no user of its own
            List<MeView.ProjectRole> projects = caller.attempt() == null
                    ? List.of()
                    : List.of(new MeView.ProjectRole(caller.attempt().project(), Role.VIEWER.wire(), List.of()));
            return new MeView(
                    new UserView(null, caller.name(), null, false, true, false, null, null, null),
                    caller.kind(),
                    List.of(),
                    projects);
        }
        UserRow user = jdbi.onDemand(UserDao.class).find(caller.userId()).orElseThrow();
        List<String> teams = new ArrayList<>();
        teams.add("everyone");
        jdbi.onDemand(ProjectDao.class).teamsOf(user.id()).stream()
                .map(TeamRow::name)
                .forEach(teams::add);
        List<MeView.ProjectRole> projects = new ArrayList<>();
        Map<String, ProjectRights> grants = access.grants(user.id());
        grants.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<String> permissions = new ArrayList<>();
            if (e.getValue().has(Permission.APPROVE)) {
                permissions.add("approve");
            }
            if (e.getValue().has(Permission.PROMOTE)) {
                permissions.add("promote");
            }
            projects.add(new MeView.ProjectRole(e.getKey(), e.getValue().role().wire(), permissions));
        });
        return new MeView(view(user), caller.kind(), teams, projects);
    }

    UserRow find(String name) {
        return jdbi.onDemand(UserDao.class)
                .findByName(name == null ? "" : name)
                .orElseThrow(() -> BatonException.notFound("no user '" + name + "'"));
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw BatonException.badRequest(
                    "'name' must be 1-100 characters of letters, digits and _.@- starting with a letter");
        }
    }

    private static void checkPassword(String password) {
        if (password.length() < Passwords.MIN_LENGTH || password.length() > Passwords.MAX_LENGTH) {
            throw BatonException.badRequest(
                    "a password must have " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH + " characters");
        }
    }

    public static UserView view(UserRow u) {
        return new UserView(
                u.id(),
                u.name(),
                u.email(),
                u.admin(),
                u.passwordHash() == null && u.oidcSubject() == null,
                u.oidcSubject() != null,
                u.createdBy(),
                Instant.ofEpochMilli(u.createdAt()),
                u.disabledAt() == null ? null : Instant.ofEpochMilli(u.disabledAt()));
    }

    /** 429: too many failed logins for this name or address; try again after {@link #retryAfterSeconds}. */
    public static final class TooManyAttempts extends BatonException {
        private final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super(
                    429,
                    ErrorCodes.TOO_MANY_REQUESTS,
                    "too many failed logins; try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
