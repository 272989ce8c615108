package io.baton.server.auth;

import io.baton.common.Hashing;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.server.api.TokenRequest;
import io.baton.server.api.TokenView;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Ids;
import io.baton.server.core.Instants;
import io.baton.server.db.RunDao;
import io.baton.server.db.TokenDao;
import io.baton.server.db.TokenRow;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens. A token is 32 random bytes shown once; only its sha256 is stored (a fast hash is enough for a
 * secret of 256 random bits), so a leaked database leaks no token.
 */
public final class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}");
    private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** The kind of a token from {@code POST /api/v1/login}: it acts as its user, as a user token does. */
    public static final String SESSION = "session";
    /** A token's last use is written at most this often. */
    static final long LAST_USE_MILLIS = 60_000;
    /**
     * How long a token found valid is trusted without asking the database again. A revocation through this server
     * takes effect at once; one made through another server of the same database, within this time.
     */
    static final long TRUSTED_MILLIS = 10_000;

    private static final int MAX_TRUSTED = 10_000;
    /** An attempt token's longest life, should its attempt's end never be reported (it also ends with the attempt). */
    static final long ATTEMPT_TOKEN_MILLIS = 7L * 24 * 3600 * 1000;

    private final Jdbi jdbi;
    /** Valid tokens recently seen, by the sha256 of their secret (unknown secrets are never kept). */
    private final Map<String, Trusted> trusted = new ConcurrentHashMap<>();

    private record Trusted(Caller caller, Long expiresAt, long until) {}

    public TokenService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<Caller> authenticate(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        String hash = Hashing.sha256(secret);
        Trusted known = trusted.get(hash);
        if (known != null && known.until() > now && (known.expiresAt() == null || known.expiresAt() > now)) {
            return Optional.of(known.caller());
        }
        TokenDao dao = jdbi.onDemand(TokenDao.class);
        Optional<TokenRow> row = dao.findBySecret(hash)
                .filter(t -> t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt() > now));
        Optional<Caller> caller = row.flatMap(this::caller);
        if (caller.isEmpty()) {
            trusted.remove(hash);
            return Optional.empty();
        }
        TokenRow t = row.get();
        if (t.lastUsedAt() == null || t.lastUsedAt() < now - LAST_USE_MILLIS) {
            dao.used(t.id(), now);
        }
        if (trusted.size() >= MAX_TRUSTED) {
            trusted.clear();
        }
        trusted.put(hash, new Trusted(caller.get(), t.expiresAt(), now + TRUSTED_MILLIS));
        return caller;
    }

    /** Who a valid token acts for: its user (while not disabled), its worker, or its running attempt. */
    private Optional<Caller> caller(TokenRow t) {
        switch (t.kind()) {
            case Caller.ATTEMPT -> {
                // an attempt token lives while its attempt runs, however the attempt ends (finished, lost, cancelled)
                return jdbi.onDemand(TokenDao.class)
                        .runningAttempt(t.id())
                        .map(a -> new Caller(
                                t.id(),
                                null,
                                t.name(),
                                Caller.ATTEMPT,
                                false,
                                new Caller.AttemptScope(a.runId(), a.step(), a.attempt(), a.project())));
            }
            case Caller.WORKER -> {
                return Optional.of(new Caller(t.id(), null, t.name(), Caller.WORKER, false, null));
            }
            default -> {
                if (t.userId() == null) {
                    return Optional.empty();
                }
                return jdbi.onDemand(UserDao.class)
                        .find(t.userId())
                        .filter(u -> u.disabledAt() == null)
                        .map(u -> new Caller(t.id(), u.id(), u.name(), Caller.USER, u.admin() && t.admin(), null));
            }
        }
    }

    /**
     * {@code POST /api/v1/tokens}: a personal token of the caller (or, for a global admin, of {@code user}), or a
     * worker token (global admins).
     */
    public TokenView create(TokenRequest request, Caller creator) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'kind' and 'name'");
        }
        if (creator.userId() == null && !creator.admin()) {
            throw forbidden("only a user's token creates tokens");
        }
        String kind = request.kind() == null ? Caller.USER : request.kind();
        if (!kind.equals(Caller.USER) && !kind.equals(Caller.WORKER)) {
            throw BatonException.badRequest("'kind' must be 'user' or 'worker', not '" + kind + "'");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw BatonException.badRequest(
                    "'name' must be 1-100 characters of letters, digits and _.@- " + "starting with a letter or digit");
        }
        if (Boolean.TRUE.equals(request.admin()) && kind.equals(Caller.WORKER)) {
            throw BatonException.badRequest("a worker token cannot be an admin token");
        }
        if (Boolean.TRUE.equals(request.admin()) && !creator.admin()) {
            throw forbidden("only a global admin creates an admin's token");
        }
        Instant expiresAt = Instants.parse("expiresAt", request.expiresAt());
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw BatonException.badRequest("'expiresAt' must be in the future");
        }
        Long expires = expiresAt == null ? null : expiresAt.toEpochMilli();
        if (kind.equals(Caller.WORKER)) {
            if (!creator.admin()) {
                throw forbidden("only a global admin creates worker tokens");
            }
            if (request.user() != null) {
                throw BatonException.badRequest("a worker token belongs to its worker, not to a user");
            }
            String pools = null;
            if (request.pools() != null) {
                for (String pool : request.pools()) {
                    if (pool == null || !POOL.matcher(pool).matches()) {
                        throw BatonException.badRequest(
                                "'pools' must name pools ([a-z0-9][a-z0-9-]{0,62}), not '" + pool + "'");
                    }
                }
                pools = String.join(",", request.pools());
            }
            return issueWorker(request.name(), creator.name(), expires, pools);
        }
        if (request.pools() != null) {
            throw BatonException.badRequest("'pools' is for worker tokens");
        }
        String owner = creator.userId();
        if (request.user() != null) {
            if (!creator.admin()) {
                throw forbidden("only a global admin creates tokens for another user");
            }
            owner = jdbi.onDemand(UserDao.class)
                    .findByName(request.user())
                    .filter(u -> u.disabledAt() == null)
                    .orElseThrow(() -> BatonException.notFound("no user '" + request.user() + "'"))
                    .id();
        }
        if (owner == null) {
            throw BatonException.badRequest("this token has no user; name one with 'user'");
        }
        boolean ownerIsAdmin =
                jdbi.onDemand(UserDao.class).find(owner).map(UserRow::admin).orElse(false);
        if (Boolean.TRUE.equals(request.admin()) && !ownerIsAdmin) {
            throw BatonException.badRequest("'admin': true is for a global admin's tokens; this user is not one");
        }
        // a global admin's token acts as an admin unless it asks not to ("admin": false: a token for everyday use)
        boolean admin = ownerIsAdmin && !Boolean.FALSE.equals(request.admin());
        return issue(new TokenRow(
                Ids.newId(),
                request.name(),
                Caller.USER,
                admin,
                null,
                creator.name(),
                System.currentTimeMillis(),
                expires,
                null,
                owner,
                null,
                null));
    }

    /** A session token of {@code user} for {@code POST /api/v1/login}, living {@code millis}. */
    public TokenView session(UserRow user, long millis) {
        long now = System.currentTimeMillis();
        return issue(new TokenRow(
                Ids.newId(),
                "session",
                SESSION,
                user.admin(),
                null,
                user.name(),
                now,
                now + millis,
                null,
                user.id(),
                null,
                null));
    }

    /** A worker's token (local mode's worker). */
    public TokenView issueWorker(String name, String createdBy) {
        return issueWorker(name, createdBy, null, null);
    }

    /** A worker's token, expiring at {@code expiresAt} (null: never), for {@code pools} (comma-separated; null: any). */
    private TokenView issueWorker(String name, String createdBy, Long expiresAt, String pools) {
        return issue(new TokenRow(
                Ids.newId(),
                name,
                Caller.WORKER,
                false,
                null,
                createdBy,
                System.currentTimeMillis(),
                expiresAt,
                null,
                null,
                pools,
                null));
    }

    /** Stores {@code row} with a new secret's hash, and returns it with the secret (shown this once). */
    private TokenView issue(TokenRow row) {
        String secret = newSecret();
        TokenRow stored = withSecret(row, Hashing.sha256(secret));
        jdbi.useExtension(TokenDao.class, dao -> dao.insert(stored));
        return view(stored, secret);
    }

    private static TokenRow withSecret(TokenRow r, String hash) {
        return new TokenRow(
                r.id(),
                r.name(),
                r.kind(),
                r.admin(),
                hash,
                r.createdBy(),
                r.createdAt(),
                r.expiresAt(),
                r.revokedAt(),
                r.userId(),
                r.pools(),
                r.lastUsedAt());
    }

    /**
     * An attempt's start answer with the attempt's own token and its run's project (the step's MLflow tracking URI),
     * unless nothing runs (its step already succeeded).
     */
    public AttemptStarted withAttemptToken(AttemptStarted started, String runId, String step, AttemptStart start) {
        if (started.stepSucceeded() || started.waiting() != null) {
            return started; // no attempt starts: nothing to hand a token to
        }
        String project = jdbi.onDemand(RunDao.class).projectOf(runId).orElse(null);
        return started.withToken(mintForAttempt(runId, step, start.number(), start.worker()))
                .withProject(project);
    }

    /**
     * A token for one attempt, given to its step: it reads as the run's submitter does and writes only that
     * attempt's output. It ends with the attempt, and after {@link #ATTEMPT_TOKEN_MILLIS} in any case.
     */
    public String mintForAttempt(String runId, String step, int attempt, String worker) {
        String secret = newSecret();
        long now = System.currentTimeMillis();
        TokenRow row = new TokenRow(
                Ids.newId(),
                null,
                Caller.ATTEMPT,
                false,
                Hashing.sha256(secret),
                worker,
                now,
                now + ATTEMPT_TOKEN_MILLIS,
                null);
        jdbi.useExtension(TokenDao.class, dao -> dao.insertForAttempt(row, runId, step, attempt));
        return secret;
    }

    /** Revokes the tokens of an attempt that ended; this server refuses them at once (others once they check again). */
    public void revokeForAttempt(String runId, String step, int attempt) {
        jdbi.useExtension(
                TokenDao.class, dao -> dao.revokeForAttempt(runId, step, attempt, System.currentTimeMillis()));
        trusted.values().removeIf(t -> t.caller().isAttempt(runId, step, attempt));
    }

    /** The pools a worker token may serve, or null when it may serve any. */
    public List<String> workerPools(String tokenId) {
        return jdbi.onDemand(TokenDao.class)
                .find(tokenId)
                .map(TokenRow::pools)
                .map(p -> List.of(p.split(",")))
                .orElse(null);
    }

    /** Every active token for a global admin; a user's own otherwise. */
    public List<TokenView> list(Caller caller) {
        TokenDao dao = jdbi.onDemand(TokenDao.class);
        List<TokenRow> rows =
                caller.admin() ? dao.active() : caller.userId() == null ? List.of() : dao.activeOf(caller.userId());
        return rows.stream().map(t -> view(t, null)).toList();
    }

    /** Revokes a token: one's own, or any for a global admin (someone else's is a 404, as if absent). */
    public void revoke(String id, Caller caller) {
        TokenDao dao = jdbi.onDemand(TokenDao.class);
        Optional<TokenRow> token = dao.find(id)
                .filter(t -> t.revokedAt() == null && !Caller.ATTEMPT.equals(t.kind()))
                .filter(t -> caller.admin()
                        || (caller.userId() != null && caller.userId().equals(t.userId())));
        if (token.isEmpty() || dao.revoke(id, System.currentTimeMillis()) == 0) {
            throw BatonException.notFound("no active token with id '" + id + "'");
        }
        trusted.clear();
    }

    /** Revokes every token of a user (the user was disabled). */
    public void revokeOfUser(String userId) {
        jdbi.onDemand(TokenDao.class).revokeOfUser(userId, System.currentTimeMillis());
        trusted.clear();
    }

    /** Revokes every active token of that name and kind (local mode's worker gets a fresh token each start). */
    public void revokeAll(String name, String kind) {
        jdbi.onDemand(TokenDao.class).revokeByName(name, kind, System.currentTimeMillis());
        trusted.clear();
    }

    /**
     * Local mode: makes sure the admin token in {@code file} works, creating one (file mode 600) when the file is
     * missing or its token is unknown. Returns the file.
     */
    public Path ensureAdminTokenFile(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file).trim();
            if (authenticate(existing).filter(Caller::admin).isPresent()) {
                return file;
            }
            log.warn("the admin token in {} is not valid here; writing a new one", file);
        }
        TokenView token = issue(adminToken("admin"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token.token() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("wrote a new admin token to {}", file.toAbsolutePath());
        return file;
    }

    /** Production: an operator-given admin token is accepted from now on, as user {@code admin}'s (only its hash is stored). */
    public void ensureBootstrapToken(String secret) {
        if (authenticate(secret).isPresent()) {
            return;
        }
        TokenRow row = withSecret(adminToken("bootstrap"), Hashing.sha256(secret));
        jdbi.useExtension(TokenDao.class, dao -> dao.insert(row));
    }

    /** A token of user {@code admin} (a global admin, created with no password when missing). */
    private TokenRow adminToken(String name) {
        UserRow admin = jdbi.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            return users.findByName("admin").orElseGet(() -> {
                UserRow created = new UserRow(
                        Ids.newId(), "admin", null, null, true, null, "baton", System.currentTimeMillis(), null);
                users.insert(created);
                return created;
            });
        });
        return new TokenRow(
                Ids.newId(),
                name,
                Caller.USER,
                true,
                null,
                "baton",
                System.currentTimeMillis(),
                null,
                null,
                admin.id(),
                null,
                null);
    }

    private static BatonException forbidden(String message) {
        return new BatonException(403, ErrorCodes.FORBIDDEN, message);
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "bt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private TokenView view(TokenRow t, String secret) {
        return new TokenView(
                t.id(),
                t.name(),
                t.kind(),
                t.admin(),
                t.createdBy(),
                Instant.ofEpochMilli(t.createdAt()),
                t.expiresAt() == null ? null : Instant.ofEpochMilli(t.expiresAt()),
                t.userId() == null
                        ? null
                        : jdbi.onDemand(UserDao.class)
                                .find(t.userId())
                                .map(UserRow::name)
                                .orElse(null),
                t.pools() == null ? null : List.of(t.pools().split(",")),
                t.lastUsedAt() == null ? null : Instant.ofEpochMilli(t.lastUsedAt()),
                secret);
    }
}
