package io.baton.server.auth;

import io.baton.common.Hashing;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.server.api.TokenRequest;
import io.baton.server.api.TokenView;
import io.baton.server.core.BatonException;
import io.baton.server.core.Ids;
import io.baton.server.core.Instants;
import io.baton.server.db.TokenDao;
import io.baton.server.db.TokenRow;
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
        Optional<TokenRow> row = jdbi.onDemand(TokenDao.class)
                .findBySecret(hash)
                .filter(t -> t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt() > now));
        if (row.isEmpty()) {
            trusted.remove(hash);
            return Optional.empty();
        }
        TokenRow t = row.get();
        Caller.AttemptScope scope = null;
        if (Caller.ATTEMPT.equals(t.kind())) {
            // an attempt token lives while its attempt runs, however the attempt ends (finished, lost, cancelled)
            var attempt = jdbi.onDemand(TokenDao.class).runningAttempt(t.id());
            if (attempt.isEmpty()) {
                return Optional.empty();
            }
            scope = new Caller.AttemptScope(
                    attempt.get().runId(), attempt.get().step(), attempt.get().attempt());
        }
        Caller caller = new Caller(t.id(), t.name(), t.kind(), t.admin(), scope);
        if (trusted.size() >= MAX_TRUSTED) {
            trusted.clear();
        }
        trusted.put(hash, new Trusted(caller, t.expiresAt(), now + TRUSTED_MILLIS));
        return Optional.of(caller);
    }

    public TokenView create(TokenRequest request, Caller creator) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'kind' and 'name'");
        }
        String kind = request.kind() == null ? Caller.USER : request.kind();
        if (!kind.equals(Caller.USER) && !kind.equals(Caller.WORKER)) {
            throw BatonException.badRequest("'kind' must be 'user' or 'worker', not '" + kind + "'");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw BatonException.badRequest(
                    "'name' must be 1-100 characters of letters, digits and _.@- " + "starting with a letter or digit");
        }
        boolean admin = Boolean.TRUE.equals(request.admin());
        if (admin && kind.equals(Caller.WORKER)) {
            throw BatonException.badRequest("a worker token cannot be an admin token");
        }
        Instant expiresAt = Instants.parse("expiresAt", request.expiresAt());
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw BatonException.badRequest("'expiresAt' must be in the future");
        }
        return issue(request.name(), kind, admin, creator.name(), expiresAt == null ? null : expiresAt.toEpochMilli());
    }

    /** Creates a token and returns it with its secret (the only time the secret exists outside the caller). */
    public TokenView issue(String name, String kind, boolean admin, String createdBy, Long expiresAt) {
        String secret = newSecret();
        TokenRow row = new TokenRow(
                Ids.newId(),
                name,
                kind,
                admin,
                Hashing.sha256(secret),
                createdBy,
                System.currentTimeMillis(),
                expiresAt,
                null);
        jdbi.useExtension(TokenDao.class, dao -> dao.insert(row));
        return view(row, secret);
    }

    /** An attempt's start answer with the attempt's own token, unless nothing runs (its step already succeeded). */
    public AttemptStarted withAttemptToken(AttemptStarted started, String runId, String step, AttemptStart start) {
        if (started.stepSucceeded()) {
            return started;
        }
        return started.withToken(mintForAttempt(runId, step, start.number(), start.worker()));
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
        Caller.AttemptScope ended = new Caller.AttemptScope(runId, step, attempt);
        trusted.values().removeIf(t -> ended.equals(t.caller().attempt()));
    }

    public List<TokenView> list() {
        return jdbi.onDemand(TokenDao.class).active().stream()
                .map(t -> view(t, null))
                .toList();
    }

    public void revoke(String id) {
        int revoked = jdbi.onDemand(TokenDao.class).revoke(id, System.currentTimeMillis());
        trusted.clear();
        if (revoked == 0) {
            throw BatonException.notFound("no active token with id '" + id + "'");
        }
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
        TokenView token = issue("admin", Caller.USER, true, "baton", null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token.token() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("wrote a new admin token to {}", file.toAbsolutePath());
        return file;
    }

    /** Production: an operator-given admin token is accepted from now on (only its hash is stored). */
    public void ensureBootstrapToken(String secret) {
        if (authenticate(secret).isPresent()) {
            return;
        }
        TokenRow row = new TokenRow(
                Ids.newId(),
                "admin",
                Caller.USER,
                true,
                Hashing.sha256(secret),
                "baton",
                System.currentTimeMillis(),
                null,
                null);
        jdbi.useExtension(TokenDao.class, dao -> dao.insert(row));
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "bt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static TokenView view(TokenRow t, String secret) {
        return new TokenView(
                t.id(),
                t.name(),
                t.kind(),
                t.admin(),
                t.createdBy(),
                Instant.ofEpochMilli(t.createdAt()),
                t.expiresAt() == null ? null : Instant.ofEpochMilli(t.expiresAt()),
                secret);
    }
}
