package io.baton.server.auth;

import java.security.Principal;

/**
 * Who is calling: the token's name, its kind (user, worker or attempt) and whether it is an admin. A worker token's
 * name is its worker's name; an attempt token's name is its run's submitter, and {@code attempt} says which attempt
 * it belongs to.
 */
public record Caller(String tokenId, String name, String kind, boolean admin, AttemptScope attempt)
        implements Principal {
    public static final String USER = "user";
    public static final String WORKER = "worker";
    /** The kind of a token minted for one attempt and given to its step. */
    public static final String ATTEMPT = "attempt";
    /** The role of routes only an admin may call. */
    public static final String ADMIN = "admin";

    /** The attempt an attempt token belongs to. */
    public record AttemptScope(String runId, String step, int number) {}

    public Caller(String tokenId, String name, String kind, boolean admin) {
        this(tokenId, name, kind, admin, null);
    }

    @Override
    public String getName() {
        return name;
    }

    /** Admins may do everything; other tokens exactly what their kind allows. */
    public boolean hasRole(String role) {
        return admin || role.equals(kind);
    }

    /** True for a worker token of another worker than {@code worker} (an admin acts for any worker). */
    public boolean isOtherWorkerThan(String worker) {
        return !admin && !(WORKER.equals(kind) && name.equals(worker));
    }

    /** True for an attempt token of exactly this attempt. */
    public boolean isAttempt(String runId, String step, int number) {
        return attempt != null && attempt.equals(new AttemptScope(runId, step, number));
    }
}
