package io.baton.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.security.Routes;
import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document and Swagger UI's page: public, complete (every route Jersey serves) and true (schemathesis). */
class OpenApiTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @Test
    void documentIsPublicJsonOfOpenApi3() throws Exception {
        Api.Answer a = server.anonymous().get("/openapi.json");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().path("openapi").asText()).startsWith("3.");
        assertThat(a.json().at("/components/securitySchemes/bearerAuth/scheme").asText())
                .isEqualTo("bearer");
        Files.writeString(Path.of("target/openapi.json"), a.text());
    }

    @Test
    void everyRouteJerseyServesIsInTheDocument() {
        JsonNode paths = server.anonymous().get("/openapi.json").json().path("paths");
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
            String path = p.next();
            paths.path(path).fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path));
        }
        Set<String> missing = new TreeSet<>();
        Set<String> served = new TreeSet<>();
        for (Routes.Route r : Routes.of(server.resources()).all()) {
            String template = r.template().replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
            if (template.startsWith("/api/2.0/") || template.startsWith("/p/{project}/api/2.0/")) {
                continue; // MLflow's API, documented by MLflow
            }
            String key = r.method() + " " + template;
            served.add(key);
            if (!documented.contains(key)) {
                missing.add(key);
            }
        }
        assertThat(served).as("the routes read from Jersey").contains("POST /api/v1/runs", "GET /api/v1/health");
        assertThat(missing)
                .as("routes Jersey serves that the OpenAPI document lacks")
                .isEmpty();
        documented.removeAll(served);
        assertThat(documented)
                .as("operations in the document that Jersey does not serve")
                .isEmpty();
    }
}
