package io.baton.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.security.Routes;
import io.baton.server.security.World;
import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import io.baton.server.testing.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAPI document and Swagger UI's page: public, complete (every route Jersey serves) and true (schemathesis). */
class OpenApiTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    /** schemathesis and openapi-spec-validator, installed by {@code ./baton test}. */
    private static final Path TOOLS = Path.of("..").toAbsolutePath().normalize().resolve(".baton/schemathesis/bin");

    /** Routes schemathesis leaves alone: they end or change what it works with, wait long, or forward elsewhere. */
    private static final List<String> EXCLUDED = List.of(
            "POST /api/v1/workers/{name}/drain",
            "DELETE /api/v1/workers/{name}",
            "DELETE /api/v1/tokens/{id}",
            "DELETE /api/v1/users/{name}",
            "GET /api/v1/runs/{id}", // ?wait= holds the answer up to a minute
            "GET /api/v1/runs/{id}/steps/{step}/logs", // ?follow=true streams until the attempt ends
            // Temporal's in-process test server has no Schedules: a write that reaches Temporal answers 503 here
            "POST /api/v1/schedules",
            "PUT /api/v1/schedules/{name}",
            "DELETE /api/v1/schedules/{name}",
            "POST /api/v1/schedules/{name}/pause",
            "POST /api/v1/schedules/{name}/unpause",
            "POST /api/v1/schedules/{name}/trigger",
            "POST /api/v1/schedules/{name}/backfill");

    @Test
    void schemathesisFindsNoServerErrorAndNoAnswerOutsideTheDocument() throws Exception {
        Path st = TOOLS.resolve("st");
        assertThat(Files.isExecutable(st))
                .as("schemathesis is missing at %s: './baton test' installs it", st)
                .isTrue();
        String base = server.apiBase();
        // the security matrix's objects (project matrix: a run, model m, dataset d, pipeline pipe, endpoint ep, ...),
        // whose names schemathesis uses for half of its values, so that its requests reach them
        World world = new World(server);
        Path config = Files.createTempFile("schemathesis", ".toml");
        Files.writeString(config, dictionaries(world));
        List<String> command = new ArrayList<>(List.of(
                st.toString(),
                "--config-file",
                config.toString(),
                "run",
                base + "/openapi.json",
                "--header",
                "Authorization: Bearer " + server.admin().token(),
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples",
                "10",
                "--phases",
                "examples,coverage,fuzzing",
                "--seed",
                "18",
                "--workers",
                "2",
                "--request-timeout",
                "10",
                "--generation-database",
                "none",
                "--no-color",
                "--exclude-path-regex",
                "^/serve/"));
        for (String route : EXCLUDED) {
            command.addAll(List.of("--exclude-name", route));
        }
        long started = System.nanoTime();
        // in a folder of its own: schemathesis keeps a cache of what failed where it runs, and replays it next time
        ToolRun run = ToolRun.run(
                new ProcessBuilder(command)
                        .directory(Files.createTempDirectory("schemathesis").toFile()),
                Duration.ofSeconds(80));
        String report = run.output();
        System.out.printf("schemathesis: %.1f s%n%s%n", (System.nanoTime() - started) / 1e9, report);
        assertThat(run.ended())
                .as("schemathesis to end within 80 s; its output:%n%s", report)
                .isTrue();
        assertThat(run.exit())
                .as("schemathesis's exit code; its report:%n%s", report)
                .isZero();
    }

    private static String dictionaries(World world) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("project", List.of(World.P, "default"));
        values.put("name", List.of("m", "d", "pipe", "s", "ep", "w1", "cpu", "viewer", "API_KEY"));
        values.put("id", List.of(world.values.get("run")));
        values.put("runId", List.of(world.values.get("run")));
        values.put("step", List.of("train"));
        values.put("number", List.of("1"));
        values.put("version", List.of("1"));
        values.put("alias", List.of("production", "staging"));
        values.put("sha256", List.of(world.values.get("sha")));
        values.put("member", List.of("viewer", "member1"));
        values.put("team", List.of("t1"));
        values.put("user", List.of("member1"));
        StringBuilder toml = new StringBuilder();
        values.forEach((name, list) -> toml.append("[dictionaries.")
                .append(name)
                .append("]\nvalues = [")
                .append(list.stream()
                        .map(v -> v.matches("\\d+") ? v : "\"" + v + "\"")
                        .collect(Collectors.joining(", ")))
                .append("]\n"));
        toml.append("[parameters]\n");
        values.keySet().forEach(name -> {
            for (String in : name.equals("project") ? List.of("path", "query") : List.of("path")) {
                toml.append('"')
                        .append(in)
                        .append('.')
                        .append(name)
                        .append("\" = { dictionary = \"")
                        .append(name)
                        .append("\", probability = 0.6 }\n");
            }
        });
        return toml.toString();
    }

    @Test
    void documentIsPublicJsonOfOpenApi3() throws Exception {
        Api.Answer a = server.anonymous().get("/openapi.json");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().path("openapi").asText()).startsWith("3.");
        assertThat(a.json().at("/components/securitySchemes/bearerAuth/scheme").asText())
                .isEqualTo("bearer");
        Path document = Path.of("target/openapi.json");
        Files.writeString(document, a.text());
        // valid by the OpenAPI specification (openapi-spec-validator, installed with schemathesis)
        Path python = TOOLS.resolve("python");
        assertThat(Files.isExecutable(python))
                .as("%s: './baton test' installs it", python)
                .isTrue();
        Process check = new ProcessBuilder(
                        python.toString(),
                        "-c",
                        "import json, sys; from openapi_spec_validator import validate;"
                                + " validate(json.load(open(sys.argv[1])))",
                        document.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("openapi-spec-validator: %s", out).isZero();
    }

    @Test
    void swaggerUiLoadsWithoutATokenAndPointsAtTheDocument() {
        Api anonymous = server.anonymous();
        Api.Answer page = anonymous.get("/docs");
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.text()).contains("data-url=\"openapi.json\"", "docs/swagger-ui-bundle.js", "docs/docs.js");
        for (String file : List.of("swagger-ui-bundle.js", "swagger-ui.css", "docs.js")) {
            Api.Answer a = anonymous.get("/docs/" + file);
            assertThat(a.status()).as(file).isEqualTo(200);
            assertThat(a.text()).as(file).isNotEmpty();
        }
        assertThat(anonymous.get("/docs/index.html").status()).isEqualTo(404);
        assertThat(anonymous.get("/docs/..%2F..%2Fopenapi.json").status()).isIn(400, 404);
    }

    @Test
    void everyOperationWithSecurityAnswers401WithoutAToken() {
        JsonNode doc = server.anonymous().get("/openapi.json").json();
        List<String> open = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    String method = op.getKey().toUpperCase();
                    String url = path.getKey().replaceAll("\\{[^}]+}", "x").replaceFirst("^/api/v1", "");
                    boolean isPublic = op.getValue().has("security")
                            && op.getValue().path("security").isEmpty();
                    if (isPublic) {
                        open.add(method + " " + path.getKey());
                        return;
                    }
                    // a body of the type the route takes: Jersey matches the Content-Type before the token is checked
                    Iterator<String> types =
                            op.getValue().path("requestBody").path("content").fieldNames();
                    String type = types.hasNext()
                            ? types.next().replace("*/*", "application/octet-stream")
                            : "application/json";
                    Api client = url.startsWith("/serve/")
                            ? new Api(server.apiBase().replace("/api/v1", ""), null)
                            : server.anonymous();
                    Api.Answer a = client.sendRaw(method, url, type, new byte[] {1});
                    if (a.status() != 401) {
                        wrong.add(method + " " + path.getKey() + " (" + type + "): " + a.status() + " " + a.text());
                    }
                }));
        assertThat(wrong)
                .as("operations that need a token but answered without one")
                .isEmpty();
        assertThat(open)
                .containsExactlyInAnyOrder(
                        "GET /api/v1/health",
                        "POST /api/v1/login",
                        "GET /api/v1/login/oidc",
                        "GET /api/v1/login/oidc/callback",
                        "OPTIONS /api/v1/temporal/codec/decode",
                        "OPTIONS /api/v1/temporal/codec/encode",
                        "GET /api/v1/openapi.json",
                        "GET /api/v1/docs",
                        "GET /api/v1/docs/{file}",
                        "GET /api/v1/login/methods",
                        "GET /",
                        "GET /assets/{file}");
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
