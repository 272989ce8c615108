package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.AuditEntryView;
import io.baton.server.api.AuditVerifyView;
import io.baton.server.api.Page;
import io.baton.server.audit.AuditAnchors;
import io.baton.server.audit.AuditLog;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Instants;
import io.baton.server.core.PageLimits;
import io.baton.server.db.AuditRow;
import io.baton.server.db.ListCursors;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/audit}: the audit log, newest first (global admins; a project's admins for that project), and
 * {@code /api/v1/audit/verify}, the chain and its anchors checked (global admins).
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {
    private final AuditLog audit;
    private final AuditAnchors anchors;
    private final Access access;

    public AuditResource(AuditLog audit, AuditAnchors anchors, Access access) {
        this.audit = audit;
        this.anchors = anchors;
        this.access = access;
    }

    @GET
    @RolesAllowed(Caller.USER)
    public Page<AuditEntryView> list(
            @QueryParam("project") String project,
            @QueryParam("user") String user,
            @QueryParam("action") String action,
            @QueryParam("since") String since,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor,
            @Auth Caller caller) {
        if (!caller.admin()) {
            if (project == null) {
                throw new BatonException(
                        403,
                        ErrorCodes.FORBIDDEN,
                        "only a global admin reads the whole audit log; a project's admins pass ?project=");
            }
            access.require(caller, project, Permission.MANAGE, () -> Access.noProject(project));
        }
        int n = PageLimits.size(limit);
        Instant from = Instants.parse("since", since);
        long before = beforeSeq(cursor);
        List<AuditRow> rows = audit.page(project, user, action, from == null ? 0 : from.toEpochMilli(), before, n);
        String next = rows.size() == n
                ? ListCursors.encode(Long.toString(rows.get(n - 1).seq()))
                : null;
        return new Page<>(rows.stream().map(AuditResource::view).toList(), next);
    }

    @GET
    @Path("verify")
    @RolesAllowed(Caller.ADMIN)
    public AuditVerifyView verify() {
        // the anchors first: every head they hold was written before the rows are read
        return audit.verify(anchors.recorded());
    }

    private static long beforeSeq(String cursor) {
        List<String> fields = ListCursors.decode(cursor, BatonException::badRequest);
        if (fields == null) {
            return Long.MAX_VALUE;
        }
        try {
            if (fields.size() == 1) {
                return Long.parseLong(fields.get(0));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BatonException.badRequest("'cursor' is not one this server gave out");
    }

    static AuditEntryView view(AuditRow r) {
        return new AuditEntryView(
                r.seq(),
                Instant.ofEpochMilli(r.atMs()),
                r.userName(),
                r.userId(),
                r.tokenKind(),
                r.action(),
                r.objectType(),
                r.objectId(),
                r.project(),
                r.address(),
                r.status(),
                r.detail(),
                r.prevHash(),
                r.hash());
    }
}
