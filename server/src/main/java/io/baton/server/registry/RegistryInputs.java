package io.baton.server.registry;

import io.baton.pipeline.InputReference;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;

/**
 * Resolves a run's {@code dataset://} and {@code model://} inputs to the versions they name now: in the run's own
 * project, or in another one the submitter may read (else the same error as an unknown name).
 */
public final class RegistryInputs {
    private final ModelRegistry models;
    private final DatasetRegistry datasets;
    private final Access access;

    public RegistryInputs(ModelRegistry models, DatasetRegistry datasets, Access access) {
        this.models = models;
        this.datasets = datasets;
        this.access = access;
    }

    public ModelRegistry.Resolved resolve(InputReference reference, String text, String runProject, Caller caller) {
        String project = reference.project() == null ? runProject : reference.project();
        String what = reference.kind() == InputReference.Kind.MODEL ? "model" : "dataset";
        if (!project.equals(runProject) && !access.can(caller, project, Permission.READ)) {
            throw BatonException.badRequest("there is no " + what + " '" + project + "/" + reference.name() + "'");
        }
        return switch (reference.kind()) {
            case MODEL -> models.resolve(project, reference.name(), reference.version(), reference.alias());
            case DATASET -> datasets.resolve(project, reference.name(), reference.version());
            default -> throw new IllegalArgumentException("not a registry reference: " + reference);
        };
    }
}
