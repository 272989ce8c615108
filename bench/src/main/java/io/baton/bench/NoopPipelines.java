package io.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A two-step no-op pipeline through Baton against a bare Temporal workflow of the same shape, one after the other.
 * Usage: {@code NoopPipelines API_BASE TOKEN_FILE TEMPORAL_TARGET [RUNS]}
 */
public final class NoopPipelines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPEC = """
      name: noop
      steps:
        - name: first
          command: ["true"]
        - name: second
          needs: [first]
          command: ["true"]
      """;

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String token = Files.readString(Path.of(args[1])).trim();
        String temporalTarget = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 20;

        HttpClient http = HttpClient.newHttpClient();
        List<Double> batonWall = new ArrayList<>();
        List<Double> batonServer = new ArrayList<>();
        for (int i = 0; i < runs + 2; i++) {
            long start = System.nanoTime();
            JsonNode run = call(
                    http,
                    HttpRequest.newBuilder(URI.create(api + "/runs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("spec", SPEC)))),
                    token);
            String id = run.get("id").asText();
            while (!run.get("status").asText().equals("SUCCEEDED")) {
                if (run.get("status").asText().equals("FAILED")) {
                    throw new IllegalStateException("run failed: " + run);
                }
                Thread.sleep(10);
                run = call(
                        http,
                        HttpRequest.newBuilder(URI.create(api + "/runs/" + id)).GET(),
                        token);
            }
            if (i >= 2) { // the first runs warm up the JITs
                batonWall.add((System.nanoTime() - start) / 1e6);
                batonServer.add((double) Duration.between(
                                Instant.parse(run.get("createdAt").asText()),
                                Instant.parse(run.get("finishedAt").asText()))
                        .toMillis());
            }
        }

        List<Double> bare = new ArrayList<>();
        try (Bare baseline = new Bare(temporalTarget, 2)) {
            for (int i = 0; i < runs + 2; i++) {
                Bare.Chain chain = baseline.chain();
                long start = System.nanoTime();
                chain.run(2);
                if (i >= 2) {
                    bare.add((System.nanoTime() - start) / 1e6);
                }
            }
        }

        System.out.printf("two-step no-op pipeline, %d runs (after 2 warm-up runs)%n", runs);
        report("baton, submit to SUCCEEDED seen by client", batonWall);
        report("baton, createdAt to finishedAt (server)", batonServer);
        report("bare Temporal workflow, same shape", bare);
        System.out.printf("ratio baton/bare (median): %.2f%n", median(batonWall) / median(bare));
    }

    private static JsonNode call(HttpClient http, HttpRequest.Builder request, String token) throws Exception {
        HttpResponse<String> r = http.send(
                request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static void report(String what, List<Double> millis) {
        System.out.printf(
                "  %-45s median %7.1f ms   p95 %7.1f ms   min %7.1f ms%n",
                what, median(millis), percentile(millis, 0.95), Collections.min(millis));
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
