package io.baton.worker.serving;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** A replica's health path, checked with one GET on this machine's loopback with short timeouts. */
final class HealthCheck {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String path;

    /** Throws {@link IllegalArgumentException} for a path that is no URL path. */
    HealthCheck(String health) {
        this.path = health == null || health.isBlank() ? "/" : health.startsWith("/") ? health : "/" + health;
        URI.create("http://127.0.0.1:1" + path);
    }

    /** Null when the health path answered 2xx on {@code port}; else what it answered ("500", "connection refused"). */
    String problem(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            int status =
                    HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300 ? null : Integer.toString(status);
        } catch (ConnectException e) {
            return "connection refused";
        } catch (HttpTimeoutException e) {
            return "no answer within its timeout";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
