package io.baton.workflows;

import java.util.List;

/**
 * A step's end as the server recorded it: what the workflow asked for, unless the step had already ended, as when
 * an attempt's report ended it SUCCEEDED and Temporal never heard of that attempt's success (its worker died in
 * between, on the last attempt the retry policy allowed). Then the step stays SUCCEEDED, with its outputs.
 */
public record RecordedStep(StepStatus status, List<ArtifactRef> outputs) {
    public RecordedStep {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }
}
