package io.baton.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.baton.pipeline.RegisterSpec;
import java.util.List;
import java.util.Map;

/**
 * One step of a {@link RunPlan}: its command with parameters and matrix values substituted, where it runs, how it is
 * retried, what it reads and writes (durations in milliseconds, so that it crosses Temporal's JSON as it is).
 */
public record StepPlan(
        String name,
        List<String> needs,
        String pool,
        List<String> command,
        Map<String, String> env,
        String image,
        int retries,
        long backoffMs,
        long maxBackoffMs,
        long timeoutMs,
        long heartbeatTimeoutMs,
        List<InputPlan> inputs,
        List<String> outputs,
        String cacheKeyBase, // set when the step has cache: true
        boolean approval,
        double cpus, // 0 in plans made before resources were planned: one CPU
        long memoryBytes,
        int gpus,
        RegisterSpec register, // the model its outputs become a version of, when set
        // names of the project's secrets it gets as variables; their values never cross Temporal (docs/security.md)
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> secrets) {
    public StepPlan {
        needs = List.copyOf(needs);
        command = List.copyOf(command);
        env = env == null ? Map.of() : env;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A step that gets no secrets. */
    public StepPlan(
            String name,
            List<String> needs,
            String pool,
            List<String> command,
            Map<String, String> env,
            String image,
            int retries,
            long backoffMs,
            long maxBackoffMs,
            long timeoutMs,
            long heartbeatTimeoutMs,
            List<InputPlan> inputs,
            List<String> outputs,
            String cacheKeyBase,
            boolean approval,
            double cpus,
            long memoryBytes,
            int gpus,
            RegisterSpec register) {
        this(
                name,
                needs,
                pool,
                command,
                env,
                image,
                retries,
                backoffMs,
                maxBackoffMs,
                timeoutMs,
                heartbeatTimeoutMs,
                inputs,
                outputs,
                cacheKeyBase,
                approval,
                cpus,
                memoryBytes,
                gpus,
                register,
                List.of());
    }

    /** The task queue of this step's pool and resource shape. */
    public String taskQueue() {
        return TaskQueues.pool(pool, TaskQueues.cpuShape(cpus), gpus);
    }

    /** The same step without its cache key: it runs even when an earlier step had the same key. */
    public StepPlan uncached() {
        return new StepPlan(
                name,
                needs,
                pool,
                command,
                env,
                image,
                retries,
                backoffMs,
                maxBackoffMs,
                timeoutMs,
                heartbeatTimeoutMs,
                inputs,
                outputs,
                null,
                approval,
                cpus,
                memoryBytes,
                gpus,
                register,
                secrets);
    }

    public boolean cache() {
        return cacheKeyBase != null;
    }
}
