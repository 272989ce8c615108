package io.baton.server.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.baton.server.access.UserService;
import io.baton.server.api.ErrorResponse;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Ids;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.io.EOFException;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.EofException;
import org.glassfish.jersey.server.ParamException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {"error", "message", "details"}} with the right status. A client never sees a
 * stack trace; a failure that is not the client's fault is logged here with an id the client also gets.
 */
public final class ErrorMappers implements ExceptionMapper<Throwable> {
    private static final Logger log = LoggerFactory.getLogger(ErrorMappers.class);

    @Override
    public Response toResponse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UserService.TooManyAttempts tooMany) {
                return Response.fromResponse(respond(429, tooMany.code(), tooMany.getMessage(), List.of()))
                        .header(HttpHeaders.RETRY_AFTER, tooMany.retryAfterSeconds())
                        .build();
            }
            if (t instanceof BatonException b) {
                return respond(b.status(), b.code(), b.getMessage(), b.details());
            }
            if (t instanceof RequestLimits.TooLarge tooLarge) {
                return respond(413, ErrorCodes.TOO_LARGE, tooLarge.getMessage(), List.of());
            }
        }
        if (failure instanceof ParamException param && !(param instanceof ParamException.PathParamException)) {
            return respond(
                    400,
                    ErrorCodes.BAD_REQUEST,
                    "'" + param.getParameterName() + "' is not valid here"
                            + (param.getCause() instanceof NumberFormatException ? ": it must be a whole number" : ""),
                    List.of());
        }
        if (aborted(failure)) { // the client went away mid-body: nothing to answer and nothing to investigate
            log.info("a client closed its connection before it had sent its whole request ({})", failure.toString());
            return respond(400, "aborted", "the request body ended before it was complete", List.of());
        }
        if (failure instanceof JsonProcessingException json) {
            return respond(400, ErrorCodes.BAD_JSON, describe(json), List.of());
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String message = switch (status) {
                case 403 -> "this token may not do that";
                case 404 -> "no such route or object";
                case 405 -> "this route does not take that method";
                case 406 -> "cannot answer in the format asked for";
                case 415 -> "this route does not take that Content-Type";
                default -> web.getMessage();
            };
            if (status >= 500) {
                return internal(failure);
            }
            return respond(status, codeOf(status), message, List.of());
        }
        return internal(failure);
    }

    private static boolean aborted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof JdbiException) {
                // the database's connection ended (a restart): the server's failure, which the client must retry
                return false;
            }
            if (t instanceof EOFException || t instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    private static Response internal(Throwable failure) {
        String incident = Ids.newId();
        log.error("internal error {}", incident, failure);
        return respond(
                500,
                ErrorCodes.INTERNAL,
                "Baton failed to answer; the server log has the details under incident " + incident,
                List.of());
    }

    static Response respond(int status, String code, String message, List<?> details) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(code, message, details))
                .build();
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 401 -> ErrorCodes.UNAUTHORIZED;
            case 403 -> ErrorCodes.FORBIDDEN;
            case 404 -> ErrorCodes.NOT_FOUND;
            case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
            case 409 -> ErrorCodes.CONFLICT;
            case 413 -> ErrorCodes.TOO_LARGE;
            case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
            default -> ErrorCodes.BAD_REQUEST;
        };
    }

    private static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'" + where + "; known fields: "
                    + u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path(f) + "' has the wrong type: '" + f.getValue() + "' is not a "
                    + f.getTargetType().getSimpleName() + where;
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "' has the wrong type" + where + ": expected "
                    + (m.getTargetType() == null
                            ? "another type"
                            : m.getTargetType().getSimpleName());
        }
        return "the body is not valid JSON" + where + ": " + e.getOriginalMessage();
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
