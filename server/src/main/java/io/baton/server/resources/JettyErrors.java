package io.baton.server.resources;

import io.baton.server.api.ErrorResponse;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Json;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What Jetty answers itself, before a request reaches Baton's routes: the same JSON error as every other answer
 * (never Jetty's HTML page), and paths as users type them ({@code steps/train[lr=0.1]/logs}: RFC 3986 wants
 * {@code [ ]} encoded, but curl and browsers send them raw).
 */
public final class JettyErrors extends ErrorHandler {
    /** Jetty's default compliance, and raw characters such as {@code [ ] { } |} in a path. */
    static final UriCompliance URI_COMPLIANCE =
            UriCompliance.DEFAULT.with("BATON", UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS);

    /** Sets the URI compliance of every HTTP connector, and this handler as the server's, before the server starts. */
    public static void install(ServerFactory serverFactory, Environment environment) {
        List<ConnectorFactory> connectors = new ArrayList<>();
        if (serverFactory instanceof DefaultServerFactory f) {
            connectors.addAll(f.getApplicationConnectors());
            connectors.addAll(f.getAdminConnectors());
        } else if (serverFactory instanceof SimpleServerFactory f) {
            connectors.add(f.getConnector());
        }
        connectors.stream()
                .filter(HttpConnectorFactory.class::isInstance)
                .forEach(c -> ((HttpConnectorFactory) c).setUriCompliance(URI_COMPLIANCE));
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(new JettyErrors());
                }
            }
        });
    }

    /** An error answer has a body whatever the method (Jetty's default leaves PUT, PATCH and DELETE's empty). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, body(code, message), callback);
    }

    /** Requests Jetty cannot parse at all (a bad request line or header). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return body(status, reason);
    }

    private static ByteBuffer body(int status, String reason) {
        String code = status == 404
                ? ErrorCodes.NOT_FOUND
                : status == 413 || status == 431
                        ? ErrorCodes.TOO_LARGE
                        : status >= 500 ? ErrorCodes.INTERNAL : ErrorCodes.BAD_REQUEST;
        String message = status >= 500
                ? "Baton failed to answer; the server log has the details"
                : "the request is not valid HTTP" + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return ByteBuffer.wrap(
                Json.write(new ErrorResponse(code, message, List.of())).getBytes(StandardCharsets.UTF_8));
    }
}
