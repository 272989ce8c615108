package io.baton.worker.serving;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** One GET of a replica's health path on this machine's loopback, with short timeouts. */
final class HealthCheck {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final URI uri;

    HealthCheck(int port, String health) {
        String path = health == null || health.isBlank() ? "/" : health.startsWith("/") ? health : "/" + health;
        this.uri = URI.create("http://127.0.0.1:" + port + path);
    }

    /** Null when the health path answered 2xx; else what it answered ("500", "connection refused"). */
    String problem() throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
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
