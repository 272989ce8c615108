package io.baton.server.access;

/** What a route needs in a project. {@link #APPROVE} and {@link #PROMOTE} can be given on their own. */
public enum Permission {
    /** See the project's objects (a viewer). */
    READ(Role.VIEWER),
    /** Change them: runs, uploads, registrations, schedules, endpoints (an editor). */
    WRITE(Role.EDITOR),
    /** Members and secrets (a project admin). */
    MANAGE(Role.ADMIN),
    /** Approve or reject a gated step (a project admin, or anyone given it). */
    APPROVE(Role.ADMIN),
    /** Move a protected alias such as {@code production} (a project admin, or anyone given it). */
    PROMOTE(Role.ADMIN);

    private final Role role;

    Permission(Role role) {
        this.role = role;
    }

    /** The least role that has this permission without it being given on its own. */
    public Role role() {
        return role;
    }
}
