package io.baton.server.openapi;

import io.baton.server.api.ErrorResponse;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The error answers every route shares, in Baton's one shape {@link ErrorResponse}: a response per status. */
final class ErrorAnswers {
    static final Map<String, String> STATUSES = new TreeMap<>(Map.of(
            "400", "BadRequest: the request is not valid (the message says why, details where)",
            "401", "Unauthorized: no token, or one unknown, revoked or expired",
            "403", "Forbidden: the token may not do this",
            "404", "NotFound: no such object, or one the caller may not see",
            "409", "Conflict: the object's state does not allow it, or it exists already",
            "413", "TooLarge: the body passes the route's limit",
            "415", "UnsupportedMediaType: the route does not take this Content-Type",
            "429", "TooManyRequests: try again later (Retry-After, where given)",
            "502", "BadGateway: the OIDC issuer does not answer",
            "503", "Unavailable: Temporal or a replica does not answer; try again"));

    private ErrorAnswers() {}

    static String name(String status) {
        String text = STATUSES.get(status);
        return text.substring(0, text.indexOf(':'));
    }

    static String ref(String status) {
        return "#/components/responses/" + name(status);
    }

    /** The {@code ErrorResponse} schema and one response per status, added to {@code components}. */
    static void addTo(Components components) {
        Schema<?> error = new ObjectSchema()
                .addProperty("error", new StringSchema().description("a stable code: not_found, bad_request, ..."))
                .addProperty("message", new StringSchema().description("what is wrong and how to fix it"))
                .addProperty(
                        "details",
                        new ArraySchema().items(new Schema<>()).nullable(true).description("where, for spec errors"))
                .required(List.of("error", "message"));
        components.addSchemas("ErrorResponse", error);
        STATUSES.forEach((status, text) -> components.addResponses(
                name(status),
                new ApiResponse()
                        .description(text.substring(text.indexOf(':') + 2))
                        .content(new Content()
                                .addMediaType(
                                        "application/json",
                                        new MediaType()
                                                .schema(new Schema<>().$ref("#/components/schemas/ErrorResponse"))))));
    }
}
