package io.baton.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the API, as any user script would use it. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The token this client sends (for requests made by hand, as raw bytes). */
    public String token() {
        return token;
    }

    public Api withToken(String other) {
        return new Api(base, other);
    }

    /**
     * As a global admin: a user of that name (created when missing, without a password) and a client with a new
     * token of theirs.
     */
    public Api user(String name) {
        Answer created = post("/users", Map.of("name", name));
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("cannot create user " + name + ": " + created.text());
        }
        Answer token = post("/tokens", Map.of("name", name + "-test", "user", name));
        if (token.status() != 201) {
            throw new IllegalStateException("cannot issue a token for " + name + ": " + token.text());
        }
        return withToken(token.json().get("token").asText());
    }

    /** A project of that name, created when missing (by this client, which becomes its admin); this client. */
    public Api project(String name) {
        Answer created = post("/projects", Map.of("name", name));
        if (created.status() != 201 && created.status() != 409) {
            throw new IllegalStateException("cannot create project " + name + ": " + created.text());
        }
        return this;
    }

    /** As a project admin: gives {@code member} (a user or team) {@code role} in {@code project}; this client. */
    public Api grant(String project, String member, String role, String... permissions) {
        Answer granted = send(
                "PUT",
                "/projects/" + project + "/members/" + member,
                Map.of("role", role, "permissions", java.util.List.of(permissions)));
        if (granted.status() != 200) {
            throw new IllegalStateException("cannot grant " + role + " in " + project + ": " + granted.text());
        }
        return this;
    }

    /** An answer: status, body text, the body as JSON when it is JSON, and the headers. */
    public record Answer(int status, String text, JsonNode json, Map<String, java.util.List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer post(String path, Object body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public Answer postRaw(String path, String contentType, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder r =
                request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(r::header);
        return send(r);
    }

    /** Any method with these bytes as its body, of that type. */
    public Answer sendRaw(String method, String path, String contentType, byte[] body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Answer send(String method, String path, Object body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json(body))));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return r;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // text/plain answers (logs)
            }
            return new Answer(r.statusCode(), r.body(), json, r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
