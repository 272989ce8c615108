package io.baton.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step as written in the spec (before matrix expansion and parameter substitution). {@code command} is
 * already split into arguments. Maps keep the order of the spec. {@code timeout} and {@code heartbeatTimeout}
 * are null when the spec leaves them out, and so is {@code register}.
 */
public record StepSpec(
        String name,
        List<String> command,
        String pool,
        List<String> needs,
        Map<String, String> env,
        RetrySpec retries,
        Duration timeout,
        Duration heartbeatTimeout,
        String image,
        Map<String, String> inputs,
        List<String> outputs,
        ResourcesSpec resources,
        boolean cache,
        boolean approval,
        Map<String, List<Object>> matrix,
        RegisterSpec register) {
    public static final String DEFAULT_POOL = "cpu";

    public StepSpec {
        command = List.copyOf(command);
        needs = List.copyOf(needs);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = List.copyOf(outputs);
        matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix));
    }
}
