package io.baton.server.audit;

import io.baton.server.api.ErrorResponse;
import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Appends an audit entry for every answered API request that may change something (not GET, HEAD or OPTIONS, and
 * not the high-volume worker reports in {@link #NOT_AUDITED}): who, the route, its object, project, address, status.
 */
@PreMatching
@Priority(1)
public final class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {
    /** The request property that holds the request's {@link AuditNote}. */
    public static final String NOTE = "baton.audit.note";

    /**
     * Routes that change nothing worth an entry or come in streams: a step's log batches and waiting reasons, worker
     * heartbeats (attempt starts and finishes, worker registration, drain and removal are recorded), the Temporal
     * UI's codec (it seals and opens payloads, changes nothing) and MLflow's read by POST.
     */
    public static final Set<String> NOT_AUDITED = Set.of(
            "POST /api/v1/runs/{runId}/steps/{step}/attempts/{number}/logs",
            "POST /api/v1/runs/{runId}/steps/{step}/attempts/{number}/waiting",
            "POST /api/v1/workers/{name}/heartbeat",
            "POST /api/v1/temporal/codec/decode",
            "POST /api/v1/temporal/codec/encode",
            "POST /api/2.0/mlflow/registered-models/get-latest-versions");

    /** Requests to endpoints ({@code /serve/...}): predictions, as many as the endpoint's clients send. */
    static final String SERVE = "/serve/";

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** GET routes that change something: an OIDC sign-in's callback creates a session (and maybe a user). */
    private static final Set<String> SIGN_INS = Set.of("GET /api/v1/login/oidc/callback");

    private static final Set<String> PREFIX = Set.of("api", "v1", "2.0", "mlflow", "mlflow-artifacts", "p");
    private static final Pattern PARAM = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(:[^}]*)?}");

    private final AuditLog log;

    @Context
    private HttpServletRequest http;

    public AuditFilter(AuditLog log) {
        this.log = log;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(NOTE, AuditNote.open());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        AuditNote note = (AuditNote) request.getProperty(NOTE);
        AuditNote.close();
        if (note == null) {
            return;
        }
        ExtendedUriInfo uri = (ExtendedUriInfo) request.getUriInfo();
        if (uri.getMatchedResourceMethod() == null) {
            return; // no route answered: nothing could change
        }
        String template = template(uri.getMatchedTemplates());
        String action = request.getMethod() + " " + template;
        if ((READS.contains(request.getMethod()) && !SIGN_INS.contains(action))
                || NOT_AUDITED.contains(action)
                || template.startsWith(SERVE)) {
            return;
        }
        log.record(entry(request, response, note, uri, template, action));
    }

    private AuditEntry entry(
            ContainerRequestContext request,
            ContainerResponseContext response,
            AuditNote note,
            ExtendedUriInfo uri,
            String template,
            String action) {
        Principal principal = request.getSecurityContext() == null
                ? null
                : request.getSecurityContext().getUserPrincipal();
        Caller caller = principal instanceof Caller c ? c : null;
        MultivaluedMap<String, String> params = uri.getPathParameters();
        List<String> names = paramNames(template);
        List<String> values = new ArrayList<>();
        for (String name : names) {
            String value = params.getFirst(name);
            if (value != null) {
                values.add(value);
            }
        }
        String objectType = note.objectType() != null ? note.objectType() : objectType(template);
        String objectId =
                note.objectType() != null ? note.objectId() : values.isEmpty() ? null : String.join("/", values);
        String project = note.project();
        if (project == null) {
            project = params.getFirst("project");
        }
        if (project == null) {
            project = uri.getQueryParameters().getFirst("project");
        }
        if (project == null && caller != null && caller.attempt() != null) {
            project = caller.attempt().project();
        }
        String detail = note.detail();
        if (detail == null && response.getStatus() >= 400 && response.getEntity() instanceof ErrorResponse error) {
            detail = error.error();
        }
        return new AuditEntry(
                System.currentTimeMillis(),
                cut(caller != null ? caller.name() : note.user(), 100),
                caller != null ? cut(caller.userId(), 40) : null,
                caller != null ? cut(caller.kind(), 16) : null,
                cut(action, 300),
                cut(objectType, 40),
                cut(objectId, 300),
                cut(project, 100),
                address(),
                response.getStatus(),
                cut(detail, 300));
    }

    private String address() {
        try {
            return http == null ? null : cut(http.getRemoteAddr(), 64);
        } catch (RuntimeException outsideARequest) {
            return null;
        }
    }

    /** The route's template, e.g. {@code /api/v1/runs/{id}/cancel}, from the templates Jersey matched. */
    static String template(List<UriTemplate> matched) {
        List<UriTemplate> outerFirst = new ArrayList<>(matched);
        Collections.reverse(outerFirst);
        StringBuilder s = new StringBuilder();
        for (UriTemplate t : outerFirst) {
            String part = t.getTemplate().replaceAll("^/+|/+$", "");
            if (!part.isEmpty()) {
                s.append('/').append(part);
            }
        }
        return s.isEmpty() ? "/" : s.toString();
    }

    /** The kind of object a route is about: its first collection, singular ({@code runs} → {@code run}). */
    static String objectType(String template) {
        for (String segment : template.split("/")) {
            if (segment.isEmpty() || segment.startsWith("{") || PREFIX.contains(segment)) {
                continue;
            }
            return segment.endsWith("s") ? segment.substring(0, segment.length() - 1) : segment;
        }
        return null;
    }

    static List<String> paramNames(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
