package io.baton.server.registry;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Projects;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Who may read or change which dataset or model: the project of a route's {@code ?project=} (default
 * {@code default}), and the projects a list shows. No role there: the object's own 404, as if it were absent.
 */
public final class RegistryAccess {
    private final Access access;

    public RegistryAccess(Access access) {
        this.access = access;
    }

    /** The project named (checked), after requiring {@code permission} on the object {@code name} in it. */
    public String require(
            Caller caller,
            String project,
            String name,
            Permission permission,
            BiFunction<String, String, BatonException> notFound) {
        String p = Projects.check(project);
        access.require(caller, p, permission, () -> notFound.apply(p, name));
        return p;
    }

    /** {@code project} (default {@code default}, checked) when the caller may read it; else the 404 of no project. */
    public String readable(Caller caller, String project) {
        String p = Projects.check(project);
        access.require(caller, p, Permission.READ);
        return p;
    }

    public boolean can(Caller caller, String project, Permission permission) {
        return access.can(caller, project, permission);
    }

    /**
     * The projects a list shows: {@code project} alone when given (a 404 when the caller may not read it), else
     * every project the caller may read (null for a global admin: all of them).
     */
    public List<String> listed(Caller caller, String project) {
        if (project != null) {
            String p = Projects.check(project);
            access.require(caller, p, Permission.READ);
            return List.of(p);
        }
        return access.readable(caller).orElse(null);
    }
}
