package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Submitting runs and waiting for them, for the integration tests. */
final class Runs {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Runs() {}

    static String uploadBundle(Api api, byte[] tgz) {
        Api.Answer a = api.postRaw("/bundles", "application/gzip", tgz, Map.of());
        assertThat(a.status()).as(a.text()).isIn(200, 201);
        return a.json().get("sha256").asText();
    }

    static JsonNode submit(Api api, String spec, String bundle, Map<String, Object> parameters) {
        api.project("tests");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", "tests");
        body.put("spec", spec);
        if (bundle != null) {
            body.put("bundle", bundle);
        }
        if (parameters != null) {
            body.put("parameters", parameters);
        }
        Api.Answer a = api.post("/runs", body);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.header("Location"))
                .endsWith("/api/v1/runs/" + a.json().get("id").asText());
        return a.json();
    }

    static JsonNode awaitEnd(Api api, String runId, Duration max) {
        return Wait.until("run " + runId + " to end", max, () -> {
            JsonNode run = api.get("/runs/" + runId).json();
            return TERMINAL.contains(run.get("status").asText()) ? run : null;
        });
    }

    static JsonNode step(JsonNode run, String name) {
        for (JsonNode s : run.get("steps")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("run has no step " + name + ": " + run);
    }

    static String logs(Api api, String runId, String step, String query) {
        String segment = java.net.URLEncoder.encode(step, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        Api.Answer a = api.get("/runs/" + runId + "/steps/" + segment + "/logs" + query);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        return a.text();
    }
}
