package io.baton.server.security;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.model.Parameter;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Every route the running application serves, read from Jersey's resource model of the classes and instances its
 * {@link ResourceConfig} registers (never listed by hand): method, path template, parameters and body types.
 */
public record Routes(List<Route> all) {
    /** One resource method: {@code GET /api/v1/runs/{id}}, its parameters by source, what body it takes. */
    public record Route(
            String method,
            String template,
            List<String> pathParams,
            List<String> queryParams,
            boolean hasBody,
            List<String> consumes) {
        /** The table's key: method and template, parameter names blanked ({@code GET /api/v1/runs/{}}). */
        String key() {
            return method + " " + template.replaceAll("\\{[^}]*}", "{}")
                    + (bodyType().isEmpty() ? "" : " " + bodyType());
        }

        /** The body type, where one method and path take two ({@code POST .../versions} as JSON and as gzip). */
        String bodyType() {
            return consumes.size() == 1
                            && !consumes.get(0).equals(MediaType.APPLICATION_JSON)
                            && !consumes.get(0).equals(MediaType.WILDCARD)
                    ? "[" + consumes.get(0) + "]"
                    : "";
        }

        /** A regular expression matching this template's concrete paths (a parameter: one segment, or more for {@code .+}). */
        String pattern() {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < template.length()) {
                int open = template.indexOf('{', at);
                if (open < 0) {
                    out.append(java.util.regex.Pattern.quote(template.substring(at)));
                    break;
                }
                out.append(java.util.regex.Pattern.quote(template.substring(at, open)));
                int close = template.indexOf('}', open);
                out.append(template.substring(open, close).contains(":") ? ".+" : "[^/]+");
                at = close + 1;
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return method + " " + template + bodyType();
        }
    }

    public static Routes of(ResourceConfig config) {
        Set<Class<?>> classes = new LinkedHashSet<>(config.getClasses());
        config.getInstances().forEach(i -> classes.add(i.getClass()));
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : classes) {
            if (c.isAnnotationPresent(Path.class)) {
                walk(Resource.from(c), "", routes);
            }
        }
        for (Resource r : config.getResources()) {
            walk(r, "", routes);
        }
        routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        return new Routes(List.copyOf(routes));
    }

    private static void walk(Resource resource, String parent, List<Route> out) {
        walkAt(resource, join(parent, resource.getPath()), out);
    }

    /** A resource's methods, children and locators, at {@code path} (a located resource's own path is not used). */
    private static void walkAt(Resource resource, String path, List<Route> out) {
        for (ResourceMethod m : resource.getResourceMethods()) {
            List<String> pathParams = new ArrayList<>();
            List<String> queryParams = new ArrayList<>();
            boolean body = false;
            for (Parameter p : m.getInvocable().getParameters()) {
                switch (p.getSource()) {
                    case PATH -> pathParams.add(p.getSourceName());
                    case QUERY -> queryParams.add(p.getSourceName());
                    case ENTITY -> body = true;
                    default -> {}
                }
            }
            List<String> consumes = m.getConsumedTypes().stream()
                    .map(t -> t.getType() + "/" + t.getSubtype())
                    .toList();
            out.add(new Route(m.getHttpMethod(), path, pathParams, queryParams, body, consumes));
        }
        for (Resource child : resource.getChildResources()) {
            walk(child, path, out);
        }
        ResourceMethod locator = resource.getResourceLocator();
        if (locator != null) {
            Resource located = Resource.from(locator.getInvocable().getRawResponseType());
            if (located != null
                    && (!located.getResourceMethods().isEmpty()
                            || !located.getChildResources().isEmpty())) {
                walkAt(located, path, out);
            } else {
                // a locator whose routes cannot be read from its type: a row of its own, so that it is not missed
                out.add(new Route("LOCATOR", path, List.of(), List.of(), false, List.of()));
            }
        }
    }

    private static String join(String parent, String path) {
        if (path == null || path.isEmpty()) {
            return parent;
        }
        String p = path.startsWith("/") ? path : "/" + path;
        p = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        return parent + p;
    }
}
