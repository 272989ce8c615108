package io.baton.server.attempts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.common.Hashing;
import io.baton.server.core.Json;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepInputDao;
import io.baton.server.db.StepInputRow;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StagedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Writes and reads of a step that both attempt reports and the workflow's step ends make. */
final class StepWrites {
    private StepWrites() {}

    static List<ArtifactRef> outputsOf(String json) {
        return Json.read(json, new TypeReference<List<ArtifactRef>>() {});
    }

    /** The outputs of the step if it SUCCEEDED, read with its row locked (a report ending it may be under way). */
    static Optional<List<ArtifactRef>> succeededOutputs(Handle h, String runId, String step) {
        return h.attach(StepDao.class).succeededOutputsLocked(runId, step).map(StepWrites::outputsOf);
    }

    /** The files a step was given, once (a retried report writes nothing twice). */
    static void recordInputs(Handle h, String runId, String step, List<StagedInput> inputs) {
        StepInputDao stepInputs = h.attach(StepInputDao.class);
        if (inputs.isEmpty() || stepInputs.count(runId, step) > 0) {
            return;
        }
        List<StepInputRow> rows = new ArrayList<>();
        for (StagedInput in : inputs) {
            String producer = in.producer() == null ? "" : in.producer();
            rows.add(new StepInputRow(
                    runId,
                    step,
                    in.name(),
                    producer,
                    in.path(),
                    Hashing.sha256(producer + "/" + in.path()),
                    in.sha256(),
                    in.size(),
                    in.source() == null ? "sha256:" + in.sha256() : in.source()));
        }
        stepInputs.insertAll(rows);
    }

    static String truncate(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 4000) + "...";
    }
}
