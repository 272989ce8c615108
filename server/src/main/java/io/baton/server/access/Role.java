package io.baton.server.access;

import io.baton.server.core.BatonException;
import java.util.Arrays;
import java.util.Locale;

/** A role in a project, each holding the rights of the ones before it. */
public enum Role {
    /** Reads everything in the project. */
    VIEWER,
    /** Also submits runs, uploads, registers, and manages schedules and endpoints. */
    EDITOR,
    /** Also manages members and secrets, approves gated steps and moves protected aliases. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role parse(String role) {
        return Arrays.stream(values())
                .filter(r -> r.wire().equals(role))
                .findFirst()
                .orElseThrow(
                        () -> BatonException.badRequest("'role' must be viewer, editor or admin, not '" + role + "'"));
    }
}
