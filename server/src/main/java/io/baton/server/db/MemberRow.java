package io.baton.server.db;

/** A row of {@code project_members}: a user (by id) or a team (by name) and its role in a project. */
public record MemberRow(
        String project,
        String memberKind,
        String member,
        String role,
        boolean canApprove,
        boolean canPromote,
        String grantedBy,
        long grantedAt) {
    public static final String USER = "USER";
    public static final String TEAM = "TEAM";
}
