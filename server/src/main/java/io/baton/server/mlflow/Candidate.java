package io.baton.server.mlflow;

import java.util.Map;

/**
 * What a search filters and sorts on, read from one row before any full view is built: a model ({@code version}
 * 0, no run) or a model version, with the tags MLflow's client will see.
 */
record Candidate(String name, int version, String runId, Map<String, String> tags, long createdAt, long updatedAt) {
    Map<String, String> attributes() {
        return runId == null ? Map.of("name", name) : Map.of("name", name, "run_id", runId);
    }
}
