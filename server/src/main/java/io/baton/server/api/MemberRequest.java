package io.baton.server.api;

import java.util.List;

/**
 * {@code PUT /api/v1/projects/{p}/members/{user-or-team}}: a role, and the permissions given on their own
 * ({@code approve}, {@code promote}).
 */
public record MemberRequest(String role, List<String> permissions) {}
