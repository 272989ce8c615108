package io.baton.workflows;

import java.util.List;

/** The cache's answer: the step's full key, and the outputs of an earlier successful step with it (null: a miss). */
public record CacheResult(String key, List<ArtifactRef> outputs, String fromRun) {
    public boolean hit() {
        return outputs != null;
    }
}
