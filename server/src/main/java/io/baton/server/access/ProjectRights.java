package io.baton.server.access;

/** A caller's rights in one project: its role (null for none) and the permissions given on their own. */
public record ProjectRights(Role role, boolean canApprove, boolean canPromote) {
    public static final ProjectRights NONE = new ProjectRights(null, false, false);
    public static final ProjectRights ALL = new ProjectRights(Role.ADMIN, true, true);

    public boolean has(Permission permission) {
        if (role == null) {
            return false;
        }
        return switch (permission) {
            case APPROVE -> canApprove || role.atLeast(Role.ADMIN);
            case PROMOTE -> canPromote || role.atLeast(Role.ADMIN);
            default -> role.atLeast(permission.role());
        };
    }

    /** The union of two grants (a user's own and their teams'). */
    public ProjectRights and(ProjectRights other) {
        Role best =
                role == null ? other.role : other.role == null ? role : role.atLeast(other.role) ? role : other.role;
        return new ProjectRights(best, canApprove || other.canApprove, canPromote || other.canPromote);
    }
}
