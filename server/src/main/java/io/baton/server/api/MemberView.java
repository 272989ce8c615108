package io.baton.server.api;

import java.time.Instant;
import java.util.List;

/** A member of a project: a user or a team ({@code kind}), its role and its own permissions. */
public record MemberView(
        String project,
        String kind,
        String name,
        String role,
        List<String> permissions,
        String grantedBy,
        Instant grantedAt) {}
