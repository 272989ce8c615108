package io.baton.server.openapi;

import io.baton.common.BatonVersion;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtensions;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Baton's OpenAPI 3 document, read by swagger from the resources Jersey serves, once, at its first request. MLflow's
 * routes ({@code /api/2.0}) are left out: they are MLflow's API, which MLflow documents and its clients speak.
 */
public final class OpenApiDocument {
    private static final Logger log = LoggerFactory.getLogger(OpenApiDocument.class);
    static final String BEARER = "bearerAuth";
    private final Supplier<Set<Class<?>>> resources;
    private volatile String json;

    public OpenApiDocument(ResourceConfig jersey) {
        this(() -> resourceClasses(jersey));
    }

    OpenApiDocument(Supplier<Set<Class<?>>> resources) {
        this.resources = resources;
    }

    /** The document as JSON, built on the first call. */
    public String json() {
        String j = json;
        if (j == null) {
            synchronized (this) {
                if (json == null) {
                    long started = System.nanoTime();
                    OpenAPI api = read(resources.get());
                    json = Json.pretty(api);
                    log.info(
                            "OpenAPI document: {} paths, read in {} ms",
                            api.getPaths().size(),
                            (System.nanoTime() - started) / 1_000_000);
                }
                j = json;
            }
        }
        return j;
    }

    static synchronized OpenAPI read(Set<Class<?>> classes) {
        List<OpenAPIExtension> extensions = OpenAPIExtensions.getExtensions();
        extensions.removeIf(e -> e instanceof BatonOperations);
        extensions.add(0, new BatonOperations());
        Components components = new Components()
                .addSecuritySchemes(
                        BEARER,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP)
                                .scheme("bearer")
                                .description("a token: POST /api/v1/login, POST /api/v1/tokens, or local mode's"
                                        + " $BATON_DATA_DIR/admin.token"));
        ErrorAnswers.addTo(components);
        OpenAPI base = new OpenAPI()
                .info(new Info()
                        .title("Baton")
                        .version(BatonVersion.version())
                        .description("Baton's API: runs, pipelines, the registry, endpoints and their administration."
                                + " Errors answer {\"error\", \"message\", \"details\"}."))
                .components(components)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
        SwaggerConfiguration config = new SwaggerConfiguration()
                .openAPI(base)
                .defaultResponseCode("200")
                .sortOutput(true);
        OpenAPI api = new Reader(config).read(classes);
        nullable(api, new RecordTypes(classes));
        Paths sorted = new Paths();
        new TreeMap<>(api.getPaths()).forEach(sorted::addPathItem);
        api.setPaths(sorted);
        api.getPaths().forEach((path, item) -> {
            item.readOperationsMap().forEach((method, operation) -> {
                // grouped by what they act on: runs, models, workers, ... (Swagger UI shows a section per tag)
                operation.setTags(List.of(tag(path)));
                pathParameters(path, operation);
                if (operation.getRequestBody() != null) { // a stream of bytes (a bundle, a blob), not an object
                    operation.getRequestBody().getContent().forEach((type, media) -> {
                        if (!type.endsWith("json")
                                && media.getSchema() != null
                                && media.getSchema().get$ref() == null) {
                            media.setSchema(new BinarySchema());
                        }
                    });
                }
                operation.getResponses().values().stream()
                        .filter(r -> r.getContent() != null)
                        .flatMap(r -> r.getContent().values().stream())
                        .forEach(media -> anyValues(media.getSchema()));
            });
            if (path.startsWith("/serve/")) {
                item.readOperationsMap().forEach(OpenApiDocument::proxied);
            }
        });
        return api;
    }

    /** The first segment after {@code /api/v1}: runs, models, workers, ...; serve; docs for this document's own. */
    private static String tag(String path) {
        String rest = path.startsWith("/api/v1/") ? path.substring("/api/v1/".length()) : path.substring(1);
        String first = rest.split("/")[0];
        return first.equals("openapi.json") ? "docs" : first;
    }

    /** A path's parameters that the method does not take (it reads them from the request itself). */
    private static void pathParameters(String path, Operation operation) {
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(path);
        while (m.find()) {
            String name = m.group(1);
            if (operation.getParameters() == null
                    || operation.getParameters().stream()
                            .noneMatch(p -> "path".equals(p.getIn()) && name.equals(p.getName()))) {
                operation.addParametersItem(
                        new PathParameter().name(name).required(true).schema(new StringSchema()));
            }
        }
    }

    /** A request to an endpoint: any body, any answer, as the endpoint's serving code takes and gives them. */
    private static void proxied(PathItem.HttpMethod method, Operation operation) {
        Content any = new Content().addMediaType("*/*", new MediaType().schema(new BinarySchema()));
        if (method == PathItem.HttpMethod.POST
                || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH) {
            operation.requestBody(new RequestBody().content(any));
        }
        operation.getResponses().remove("200");
        operation
                .getResponses()
                .addApiResponse(
                        "default",
                        new ApiResponse().description("the endpoint's answer").content(any));
        operation.description("Forwarded to a replica of the endpoint (docs/endpoints.md, \"Traffic\").");
    }

    /**
     * Every property but a Java primitive may be null (records answer a missing value as {@code null}): reference
     * properties are wrapped, {@code allOf} with {@code nullable}, since a {@code $ref}'s siblings are ignored.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void nullable(OpenAPI api, RecordTypes records) {
        for (Map.Entry<String, Schema> named : api.getComponents().getSchemas().entrySet()) {
            if (named.getKey().equals("ErrorResponse") || named.getValue().getProperties() == null) {
                continue;
            }
            Map<String, Schema> properties = named.getValue().getProperties();
            for (Map.Entry<String, Schema> p : properties.entrySet()) {
                Schema s = p.getValue();
                if (anything(s)) {
                    p.setValue(s = new Schema<>());
                }
                anyValues(s);
                if (records.primitive(named.getKey(), p.getKey())) {
                    continue;
                }
                if (s.get$ref() != null) {
                    p.setValue(new Schema<>().nullable(true).allOf(List.of(new Schema<>().$ref(s.get$ref()))));
                } else {
                    s.setNullable(true);
                }
            }
        }
    }

    /** A map of Java's {@code Object}s: values of any JSON type. */
    @SuppressWarnings("rawtypes")
    private static void anyValues(Schema s) {
        if (s != null && s.getAdditionalProperties() instanceof Schema values && anything(values)) {
            s.setAdditionalProperties(true);
        }
    }

    /** Java's {@code Object} (a map's values, a field of any JSON), which swagger writes as {@code type: object}. */
    @SuppressWarnings("rawtypes")
    private static boolean anything(Schema s) {
        return "object".equals(s.getType())
                && s.getProperties() == null
                && s.getAdditionalProperties() == null
                && s.get$ref() == null
                && s.getAllOf() == null;
    }

    /** The classes of Baton's own routes: those Jersey serves under {@code /api/v1} and {@code /serve}. */
    static Set<Class<?>> resourceClasses(ResourceConfig jersey) {
        Set<Class<?>> all = new LinkedHashSet<>(jersey.getClasses());
        jersey.getInstances().forEach(i -> all.add(i.getClass()));
        Set<Class<?>> ours = new LinkedHashSet<>();
        for (Class<?> c : new ArrayList<>(all)) {
            Path path = c.getAnnotation(Path.class);
            if (path != null
                    && (path.value().startsWith("/api/v1")
                            || path.value().startsWith("/serve")
                            || path.value().equals("/")
                            || path.value().equals("/assets"))) {
                ours.add(c);
            }
        }
        return ours;
    }
}
