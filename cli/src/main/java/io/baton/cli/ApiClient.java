package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API over {@link HttpClient}: JSON in and out, the bearer token, and the server's errors as exit codes. */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String server;
    private final String token;

    public ApiClient(String server, String token) {
        this.server = server;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(
                        HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on every first request to an http:// server
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public String server() {
        return server;
    }

    /** One path segment, percent-encoded (a step name such as {@code train[lr=0.1]} included). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?k=v&...} with the non-null values encoded. */
    public static String query(String path, Map<String, ?> params) {
        StringBuilder out = new StringBuilder(path);
        char sep = path.contains("?") ? '&' : '?';
        for (Map.Entry<String, ?> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Iterable<?> values = e.getValue() instanceof Iterable<?> many ? many : List.of(e.getValue());
            for (Object v : values) {
                out.append(sep).append(segment(e.getKey())).append('=').append(segment(String.valueOf(v)));
                sep = '&';
            }
        }
        return out.toString();
    }

    public static Map<String, Object> params(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    public JsonNode get(String path) {
        return json(send("GET", path, null, null, Map.of()));
    }

    public JsonNode post(String path, Object body) {
        return json(send("POST", path, body == null ? null : bytes(body), "application/json", Map.of()));
    }

    public JsonNode post(String path, Object body, Map<String, String> headers) {
        return json(send("POST", path, body == null ? null : bytes(body), "application/json", headers));
    }

    public JsonNode put(String path, Object body) {
        return json(send("PUT", path, bytes(body), "application/json", Map.of()));
    }

    public JsonNode patch(String path, Object body) {
        return json(send("PATCH", path, bytes(body), "application/json", Map.of()));
    }

    public JsonNode delete(String path) {
        return json(send("DELETE", path, null, null, Map.of()));
    }

    public JsonNode upload(String path, String contentType, byte[] body) {
        return json(send("POST", path, body, contentType, Map.of()));
    }

    public String text(String path) {
        return new String(send("GET", path, null, null, Map.of()), StandardCharsets.UTF_8);
    }

    /** A streamed answer (followed logs), for the caller to read to its end. */
    public InputStream stream(String path) {
        HttpResponse<InputStream> response =
                exchange(request("GET", path, null, null, Map.of()), HttpResponse.BodyHandlers.ofInputStream(), path);
        if (response.statusCode() >= 300) {
            try (InputStream in = response.body()) {
                throw error(response.statusCode(), in.readAllBytes());
            } catch (IOException e) {
                throw new CliException(CliException.OTHER, "HTTP " + response.statusCode());
            }
        }
        return response.body();
    }

    private static byte[] bytes(Object body) {
        try {
            return body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, "the server answered something other than JSON");
        }
    }

    private HttpRequest request(
            String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + "/api/v1" + path))
                .timeout(Duration.ofSeconds(120))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return b.build();
    }

    private byte[] send(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpResponse<byte[]> response = exchange(
                request(method, path, body, contentType, headers), HttpResponse.BodyHandlers.ofByteArray(), path);
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String path) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new CliException(
                    CliException.OTHER,
                    "cannot reach the server at " + server + " (is it running? set --server or BATON_SERVER)");
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.OTHER, "the server at " + server + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, "cannot reach the server at " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.OTHER, "interrupted");
        }
    }

    /** The server's error: its message, and the details (spec problems with line:column) as further lines. */
    static ApiException error(int status, byte[] body) {
        String message = "HTTP " + status;
        JsonNode details = null;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
                details = node.get("details");
            }
        } catch (IOException e) {
            // not JSON: the status says it
        }
        if (status == 401) {
            message += " (sign in with baton login)";
        }
        return new ApiException(status, message, details);
    }

    /** An error answer of the server. 400, 413 and 422 are bad input (exit 3), the rest exit 4. */
    public static final class ApiException extends CliException {
        private final int status;
        private final JsonNode details;
        private String file;

        ApiException(int status, String message, JsonNode details) {
            super(status == 400 || status == 413 || status == 422 ? BAD_INPUT : OTHER, message);
            this.status = status;
            this.details = details;
        }

        public int status() {
            return status;
        }

        public JsonNode details() {
            return details;
        }

        /** The spec file the details' lines and columns are in. */
        public String file() {
            return file;
        }

        public ApiException inFile(String name) {
            this.file = name;
            return this;
        }
    }
}
