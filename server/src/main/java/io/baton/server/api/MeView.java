package io.baton.server.api;

import java.util.List;

/** {@code GET /api/v1/me}: who the caller is, their teams, and their role and permissions in each project. */
public record MeView(UserView user, String tokenKind, List<String> teams, List<ProjectRole> projects) {
    /** A project the caller has a role in. */
    public record ProjectRole(String name, String role, List<String> permissions) {}
}
