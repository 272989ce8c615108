package io.baton.server.endpoints;

import io.baton.workflows.ArtifactRef;
import java.util.List;
import java.util.Map;

/**
 * What one revision of an endpoint serves, as stored in {@code endpoint_revisions.spec}: the model version (its
 * project, name and files), the bundle, the command and its environment, the health path and the resources.
 */
record RevisionSpec(
        String modelProject,
        String modelName,
        int version,
        List<ArtifactRef> files,
        String bundle,
        List<String> command,
        Map<String, String> env,
        String health,
        long healthTimeoutMs,
        double cpus,
        long memoryBytes,
        int gpus) {
    RevisionSpec withVersion(int newVersion, List<ArtifactRef> newFiles) {
        return new RevisionSpec(
                modelProject,
                modelName,
                newVersion,
                newFiles,
                bundle,
                command,
                env,
                health,
                healthTimeoutMs,
                cpus,
                memoryBytes,
                gpus);
    }
}
