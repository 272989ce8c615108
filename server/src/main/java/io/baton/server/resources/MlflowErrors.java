package io.baton.server.resources;

import io.baton.server.api.ErrorResponse;
import io.baton.server.mlflow.MlflowMessages;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.regex.Pattern;

/**
 * Rewrites errors on MLflow's routes into MLflow's shape ({@code {"error_code", "message"}}), so that MLflow's client
 * raises the right exception; a route Baton does not offer is {@code ENDPOINT_NOT_FOUND}.
 */
public final class MlflowErrors implements ContainerResponseFilter {
    /** {@code api/2.0/mlflow...}, or the same under {@code p/<project>/} (a project's tracking URI). */
    private static final Pattern MLFLOW = Pattern.compile("^/*(p/[^/]+/)?api/2\\.0/mlflow.*", Pattern.DOTALL);

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof ErrorResponse error)
                || !MLFLOW.matcher(request.getUriInfo().getPath()).matches()) {
            return;
        }
        boolean noRoute = response.getStatus() == 405
                || (response.getStatus() == 404
                        && request.getUriInfo().getMatchedResources().isEmpty());
        String code = noRoute
                ? "ENDPOINT_NOT_FOUND"
                : switch (response.getStatus()) {
                    case 400, 413 -> "INVALID_PARAMETER_VALUE";
                    case 401 -> "UNAUTHENTICATED";
                    case 403 -> "PERMISSION_DENIED";
                    case 404 -> "RESOURCE_DOES_NOT_EXIST";
                    case 409 -> "RESOURCE_CONFLICT";
                    default -> "INTERNAL_ERROR";
                };
        String message = noRoute
                ? "Baton answers MLflow's tracking routes (a step logs into its attempt, users read) and the model"
                        + " registry's read routes; this route is not one of them (see docs/mlflow.md)"
                : error.message();
        response.setStatus(noRoute ? 404 : response.getStatus());
        response.setEntity(new MlflowMessages.Error(code, message));
    }
}
