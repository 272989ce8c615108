package io.baton.server.registry;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.pipeline.Outputs;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StepStatus;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The outputs of a run's step that a new model or dataset version is made from. */
final class RunOutputs {
    private RunOutputs() {}

    record Source(RunRow run, StepRow step, List<ArtifactRef> files) {}

    /** The outputs of a step that succeeded (or was cached or reused) matching {@code path}; 400 otherwise. */
    static Source of(Handle h, String runId, String stepName, String path, String what) {
        RunRow run = h.attach(RunDao.class)
                .find(runId)
                .orElseThrow(() -> BatonException.badRequest("there is no run '" + abbreviate(runId, API) + "'"));
        StepRow step = h.attach(StepDao.class)
                .find(runId, stepName)
                .orElseThrow(() ->
                        BatonException.badRequest("run " + runId + " has no step '" + abbreviate(stepName, API) + "'"));
        if (!StepStatus.valueOf(step.status()).succeeded() || step.outputs() == null) {
            throw BatonException.badRequest("step '" + stepName + "' of run " + runId + " is " + step.status() + "; a "
                    + what + " version is made from the outputs of a step that succeeded");
        }
        if (path != null && Outputs.problem(path) != null) {
            throw BatonException.badRequest("'path' " + Outputs.problem(path));
        }
        List<ArtifactRef> outputs = Json.read(step.outputs(), new TypeReference<List<ArtifactRef>>() {});
        List<ArtifactRef> files = outputs.stream()
                .filter(o -> path == null || Outputs.selects(path, o.path()))
                .toList();
        if (files.isEmpty()) {
            throw BatonException.badRequest("step '" + stepName + "' of run " + runId + " has no output"
                    + (path == null ? "" : " matching '" + abbreviate(path, API) + "'") + "; its outputs are "
                    + outputs.stream().map(ArtifactRef::path).toList());
        }
        return new Source(run, step, files);
    }
}
