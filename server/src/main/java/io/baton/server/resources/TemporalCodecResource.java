package io.baton.server.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.auth.Public;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.runs.RunAccess;
import io.baton.workflows.SealedPayloads;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverterException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * {@code /api/v1/temporal/codec/decode|encode}: Temporal's remote codec protocol, so that the Temporal UI shows
 * sealed payloads to whoever holds a Baton token (the UI sends it as a bearer token), and to nobody else. A payload
 * that does not open (another key, forged) comes back as it was.
 */
@Path("/api/v1/temporal/codec")
public final class TemporalCodecResource {
    private final SealedPayloads sealing;
    private final SealedPayloads opening;
    private final String uiOrigin;
    private final RunAccess runs;

    /** {@code uiUrl}: the Temporal UI's address, the one origin whose pages may call this route. */
    public TemporalCodecResource(SealedPayloads sealing, SealedPayloads opening, String uiUrl, RunAccess runs) {
        this.sealing = sealing;
        this.opening = opening;
        this.uiOrigin = origin(uiUrl);
        this.runs = runs;
    }

    @POST
    @Path("decode")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Caller.USER)
    @ApiResponse(
            responseCode = "200",
            description = "the payloads, opened",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    public Response decode(String body, @Auth Caller caller) {
        List<Payload> payloads = read(body).getPayloadsList();
        Payloads.Builder out = Payloads.newBuilder();
        for (Payload payload : payloads) {
            try {
                Payload opened = opening.decode(List.of(payload)).get(0);
                out.addPayloads(caller.admin() || readable(opened, caller) ? opened : payload);
            } catch (DataConverterException e) {
                out.addPayloads(payload);
            }
        }
        return answer(out.build());
    }

    /**
     * Whether a non-admin caller may see an opened payload: only one that names a run ({@code runId}) or project
     * ({@code project}) the caller may read; anything else stays sealed (the Temporal UI shows every project's
     * workflows to whoever reaches it).
     */
    private boolean readable(Payload opened, Caller caller) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(opened.getData().toStringUtf8());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (json == null || !json.isObject()) {
            return false;
        }
        JsonNode runId = json.get("runId");
        JsonNode project = json.get("project");
        if (runId != null && runId.isTextual() && !runs.can(caller, runId.asText(), Permission.READ)) {
            return false;
        }
        if (project != null && project.isTextual() && !runs.access().can(caller, project.asText(), Permission.READ)) {
            return false;
        }
        return (runId != null && runId.isTextual()) || (project != null && project.isTextual());
    }

    @POST
    @Path("encode")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Caller.USER)
    @ApiResponse(
            responseCode = "200",
            description = "the payloads, sealed",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    public Response encode(String body) {
        return answer(Payloads.newBuilder()
                .addAllPayloads(sealing.encode(read(body).getPayloadsList()))
                .build());
    }

    @OPTIONS
    @Path("decode")
    @Public // a browser sends no token with a preflight
    @ApiResponse(responseCode = "204", description = "CORS preflight")
    public Response decodePreflight() {
        return preflight();
    }

    @OPTIONS
    @Path("encode")
    @Public // a browser sends no token with a preflight
    @ApiResponse(responseCode = "204", description = "CORS preflight")
    public Response encodePreflight() {
        return preflight();
    }

    private Response preflight() {
        return cors(Response.noContent())
                .header("Access-Control-Max-Age", "600")
                .build();
    }

    private static Payloads read(String body) {
        Payloads.Builder payloads = Payloads.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "{}" : body, payloads);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw BatonException.badRequest(
                    "the body must be {\"payloads\": [{\"metadata\": {...}, \"data\": \"<base64>\"}]}"
                            + " (Temporal's remote codec protocol)");
        }
        return payloads.build();
    }

    private Response answer(Payloads payloads) {
        try {
            return cors(Response.ok(JsonFormat.printer().print(payloads), MediaType.APPLICATION_JSON_TYPE))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot write payloads as JSON", e);
        }
    }

    private Response.ResponseBuilder cors(Response.ResponseBuilder response) {
        if (uiOrigin == null) {
            return response;
        }
        return response.header("Access-Control-Allow-Origin", uiOrigin)
                .header("Vary", "Origin")
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace");
    }

    private static String origin(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri = URI.create(url.trim());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
