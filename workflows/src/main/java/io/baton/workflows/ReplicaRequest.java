package io.baton.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a worker needs to run one replica of an endpoint: which replica ({@code replicaId}; its workflow is {@code replica-<replicaId>}),
 * the model version it serves and the files of that version ({@code modelFiles}, staged under the workspace's
 * {@code inputs/model/}), the code bundle (null: none), the serving command with its placeholders ({@code {model}}:
 * the staged model file, or its folder when the version has several files; {@code {port}}: the port the worker picked),
 * the variables it adds, the health path polled until it answers 2xx (within {@code healthTimeoutMs}) and the resources
 * it asks for.
 */
public record ReplicaRequest(
        String endpointId,
        String project,
        String endpoint,
        String replicaId,
        int revision,
        String model,
        int version,
        List<StagedInput> modelFiles,
        String bundle,
        List<String> command,
        Map<String, String> env,
        String health,
        long healthTimeoutMs,
        double cpus,
        long memoryBytes,
        int gpus) {
    public ReplicaRequest {
        modelFiles = modelFiles == null ? List.of() : List.copyOf(modelFiles);
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
