package io.baton.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
        RegisterSpec register,
        List<String> secrets) { // names of the project's secrets it gets as environment variables
    public static final String DEFAULT_POOL = "cpu";
    /** A project secret's name, in {@code secrets:} and the secrets routes: an upper-case variable name. */
    public static final Pattern SECRET_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");

    public static final String SECRET_NAME_RULE =
            "upper-case letters, digits and '_', not starting with a digit, at most 128 characters";

    public StepSpec {
        command = List.copyOf(command);
        needs = List.copyOf(needs);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = List.copyOf(outputs);
        matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix));
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A step that gets no secrets. */
    public StepSpec(
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
        this(
                name,
                command,
                pool,
                needs,
                env,
                retries,
                timeout,
                heartbeatTimeout,
                image,
                inputs,
                outputs,
                resources,
                cache,
                approval,
                matrix,
                register,
                List.of());
    }
}
