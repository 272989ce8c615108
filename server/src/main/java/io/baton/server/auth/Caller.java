package io.baton.server.auth;

import java.security.Principal;

/**
 * Who is calling: the token's user (id and unique name), its kind (user, worker or attempt) and whether it is a
 * global admin. A worker token's name is its worker's name and it has no user; an attempt token acts for its run's
 * submitter, and {@code attempt} says which attempt (and project) it belongs to.
 */
public record Caller(String tokenId, String userId, String name, String kind, boolean admin, AttemptScope attempt)
        implements Principal {
    public static final String USER = "user";
    public static final String WORKER = "worker";
    /** The kind of a token minted for one attempt and given to its step. */
    public static final String ATTEMPT = "attempt";
    /** The role of routes only an admin may call. */
    public static final String ADMIN = "admin";

    /** The attempt an attempt token belongs to, and its run's project (the only one it may read). */
    public record AttemptScope(String runId, String step, int number, String project) {
        boolean is(String runId, String step, int number) {
            return this.runId.equals(runId) && this.step.equals(step) && this.number == number;
        }
    }

    /** A user's caller (tests of services that take one). */
    public Caller(String tokenId, String name, String kind, boolean admin) {
        this(tokenId, null, name, kind, admin, null);
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
        return attempt != null && attempt.is(runId, step, number);
    }
}
