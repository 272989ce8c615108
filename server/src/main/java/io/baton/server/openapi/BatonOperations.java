package io.baton.server.openapi;

import com.fasterxml.jackson.annotation.JsonView;
import io.baton.server.auth.Public;
import io.dropwizard.auth.Auth;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.jaxrs2.ext.AbstractOpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Baton's conventions, applied to every operation as swagger reads it: the caller ({@code @Auth}) and the request's
 * context are no parameters, {@link Public} routes need no token, and the error answers each route can give.
 */
final class BatonOperations extends AbstractOpenAPIExtension {
    private final Map<String, Operation> seen = new HashMap<>();

    @Override
    public ResolvedParameter extractParameters(
            List<Annotation> annotations,
            Type type,
            Set<Type> typesToSkip,
            Components components,
            Consumes classConsumes,
            Consumes methodConsumes,
            boolean includeRequestBody,
            JsonView jsonViewAnnotation,
            Iterator<OpenAPIExtension> chain) {
        for (Annotation a : annotations) {
            if (a instanceof Auth || a instanceof Context || a instanceof Suspended) {
                return new ResolvedParameter();
            }
        }
        return super.extractParameters(
                annotations,
                type,
                typesToSkip,
                components,
                classConsumes,
                methodConsumes,
                includeRequestBody,
                jsonViewAnnotation,
                chain);
    }

    @Override
    public void decorateOperation(Operation operation, Method method, Iterator<OpenAPIExtension> chain) {
        operation.setOperationId(operationId(method));
        boolean open = method.isAnnotationPresent(Public.class);
        if (open) {
            operation.setSecurity(new ArrayList<>()); // overrides the document's bearer token
        }
        boolean reads = method.isAnnotationPresent(GET.class)
                || method.isAnnotationPresent(HEAD.class)
                || method.isAnnotationPresent(OPTIONS.class);
        boolean params =
                operation.getParameters() != null && !operation.getParameters().isEmpty();
        ApiResponses responses = operation.getResponses();
        error(responses, "400"); // a ';' in any path, a bad query parameter or body
        if (!open) {
            error(responses, "401");
            error(responses, "403");
        }
        if (!open || params) { // a public route with parameters: OIDC's, when it is not configured
            error(responses, "404");
        }
        if (!open && !reads) {
            error(responses, "409");
        }
        if (operation.getRequestBody() != null) {
            error(responses, "413");
            error(responses, "415");
        }
        if (!open) {
            error(responses, "503"); // Temporal away, or no key for secrets
        }
        mergeBodies(operation, method);
        super.decorateOperation(operation, method, chain);
    }

    /**
     * Two methods for one route, told apart by their Content-Type (a dataset version as JSON or as a tar.gz): swagger
     * keeps the operation it read last, which gets the bodies of the other too.
     */
    private void mergeBodies(Operation operation, Method method) {
        String key = httpMethod(method) + " " + path(method.getDeclaringClass()) + "/" + path(method);
        Operation before = seen.put(key, operation);
        if (before != null && before.getRequestBody() != null && operation.getRequestBody() != null) {
            before.getRequestBody()
                    .getContent()
                    .forEach((type, media) ->
                            operation.getRequestBody().getContent().putIfAbsent(type, media));
        }
    }

    /** {@code RunResource.submit} is {@code runSubmit}: unique, and a generated client's method names read well. */
    private static String operationId(Method method) {
        String type = method.getDeclaringClass().getSimpleName().replaceFirst("Resource$", "");
        String name = method.getName();
        return Character.toLowerCase(type.charAt(0))
                + type.substring(1)
                + Character.toUpperCase(name.charAt(0))
                + name.substring(1);
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
                return a.annotationType().getAnnotation(HttpMethod.class).value();
            }
        }
        return "";
    }

    private static String path(AnnotatedElement element) {
        Path path = element.getAnnotation(Path.class);
        return path == null ? "" : path.value();
    }

    private static void error(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().$ref(ErrorAnswers.ref(status)));
        }
    }
}
