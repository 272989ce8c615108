package io.baton.server.registry;

import io.baton.pipeline.InputReference;

/** Resolves a run's {@code dataset://} and {@code model://} inputs to the versions they name now. */
public final class RegistryInputs {
    private final ModelRegistry models;
    private final DatasetRegistry datasets;

    public RegistryInputs(ModelRegistry models, DatasetRegistry datasets) {
        this.models = models;
        this.datasets = datasets;
    }

    public ModelRegistry.Resolved resolve(InputReference reference, String text, String project) {
        return switch (reference.kind()) {
            case MODEL -> models.resolve(reference.name(), reference.version(), reference.alias(), project);
            case DATASET -> datasets.resolve(reference.name(), reference.version(), project);
            default -> throw new IllegalArgumentException("not a registry reference: " + reference);
        };
    }
}
