package io.baton.workflows;

import java.util.List;

/**
 * Asks whether a step with {@code cache: true} can reuse an earlier result: {@code keyBase} covers what the plan
 * knows (bundle, image, command, parameters, environment), {@code inputs} the hashes of what it would read.
 */
public record CacheQuery(String runId, String step, String keyBase, List<StagedInput> inputs) {
    public CacheQuery {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }
}
