package io.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A client of a running Baton, and the statistics the benchmarks print. */
final class Baton {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String api;
    private final String token;

    Baton(String api, String token) {
        this.api = api;
        this.token = token;
    }

    /** A chain of {@code steps} no-op steps. */
    static String chainSpec(String name, int steps) {
        StringBuilder s = new StringBuilder("name: " + name + "\nsteps:\n");
        for (int i = 1; i <= steps; i++) {
            s.append("  - name: s").append(i).append("\n    command: [\"true\"]\n");
            if (i > 1) {
                s.append("    needs: [s").append(i - 1).append("]\n");
            }
        }
        return s.toString();
    }

    String submit(String spec) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(api + "/runs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("spec", spec)))))
                .get("id")
                .asText();
    }

    JsonNode run(String id) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(api + "/runs/" + id)).GET());
    }

    /**
     * Waits until every run has SUCCEEDED, reading the runs list (one request for all of them, four times a second:
     * polling each run would load the server more than the runs do).
     */
    void awaitAll(Set<String> ids) throws Exception {
        Set<String> left = new HashSet<>(ids);
        while (!left.isEmpty()) {
            Thread.sleep(250);
            JsonNode page = call(
                    HttpRequest.newBuilder(URI.create(api + "/runs?limit=500")).GET());
            for (JsonNode run : page.get("items")) {
                String id = run.get("id").asText();
                String status = run.get("status").asText();
                if (left.contains(id) && (status.equals("FAILED") || status.equals("CANCELLED"))) {
                    throw new IllegalStateException("run " + id + " " + status);
                }
                if (status.equals("SUCCEEDED")) {
                    left.remove(id);
                }
            }
        }
    }

    /**
     * Waits until the run has ended (a request that the server answers at the run's end, as the bare baseline's
     * client waits on the workflow's result); fails unless it SUCCEEDED.
     */
    JsonNode await(String id) throws Exception {
        while (true) {
            JsonNode run = call(HttpRequest.newBuilder(URI.create(api + "/runs/" + id + "?wait=60s"))
                    .GET());
            String status = run.get("status").asText();
            if (status.equals("SUCCEEDED")) {
                return run;
            }
            if (status.equals("FAILED") || status.equals("CANCELLED")) {
                throw new IllegalStateException("run " + id + " " + status + ": " + run);
            }
        }
    }

    private JsonNode call(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(
                request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
