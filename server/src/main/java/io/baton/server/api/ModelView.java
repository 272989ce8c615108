package io.baton.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A registered model: {@code latestVersion} null before its first version; {@code aliases} alias -> version. */
public record ModelView(
        String name,
        String project,
        String description,
        Map<String, String> tags,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Integer latestVersion,
        Map<String, Integer> aliases,
        List<String> protectedAliases,
        String createdById) {}
