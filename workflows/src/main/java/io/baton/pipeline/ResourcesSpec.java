package io.baton.pipeline;

/** {@code resources:} of a step: CPUs (may be fractional), memory in bytes, whole GPUs. */
public record ResourcesSpec(double cpus, long memoryBytes, int gpus) {
    public static final ResourcesSpec DEFAULT = new ResourcesSpec(1, 0, 0);
}
