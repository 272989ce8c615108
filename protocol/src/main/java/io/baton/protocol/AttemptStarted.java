package io.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.baton.workflows.ArtifactRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's answer to an attempt start: how many earlier attempts of the step failed their command (for the retry
 * policy), the attempt's own token and the step's secrets, or that the attempt waits for a quota. Optional fields are
 * left out of the JSON unless set.
 */
public record AttemptStarted(
        int number,
        int failures,
        // an earlier attempt's success already ended the step (its answer to Temporal was lost with its worker):
        // nothing is recorded for this attempt, and the worker answers with these outputs instead of running again
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean stepSucceeded,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ArtifactRef> outputs,
        // given to the step as BATON_TOKEN
        @JsonInclude(JsonInclude.Include.NON_NULL) String token,
        // the values of the secrets the step declares, by name: given to the step as variables, masked in its output
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> secrets,
        // the attempt may not start yet (a quota of its user or project is full): nothing was recorded, the worker
        // asks again later, and this says why (the step's reason says it too)
        @JsonInclude(JsonInclude.Include.NON_NULL) String waiting,
        // the run's project: the step's MLflow tracking URI is the project's ({server}/p/{project})
        @JsonInclude(JsonInclude.Include.NON_NULL) String project) {
    public AttemptStarted {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        secrets = secrets == null ? Map.of() : new LinkedHashMap<>(secrets);
    }

    public AttemptStarted(
            int number,
            int failures,
            boolean stepSucceeded,
            List<ArtifactRef> outputs,
            String token,
            Map<String, String> secrets) {
        this(number, failures, stepSucceeded, outputs, token, secrets, null, null);
    }

    public AttemptStarted(int number, int failures, boolean stepSucceeded, List<ArtifactRef> outputs, String token) {
        this(number, failures, stepSucceeded, outputs, token, Map.of(), null, null);
    }

    public AttemptStarted(int number, int failures, boolean stepSucceeded, List<ArtifactRef> outputs) {
        this(number, failures, stepSucceeded, outputs, null, Map.of(), null, null);
    }

    public AttemptStarted(int number, int failures) {
        this(number, failures, false, List.of());
    }

    /** The answer to an attempt that must wait for {@code reason} before it starts. */
    public static AttemptStarted waiting(int number, String reason) {
        return new AttemptStarted(number, 0, false, List.of(), null, Map.of(), reason, null);
    }

    /** The same answer with the attempt's token. */
    public AttemptStarted withToken(String attemptToken) {
        return new AttemptStarted(number, failures, stepSucceeded, outputs, attemptToken, secrets, waiting, project);
    }

    /** The same answer with the step's secrets. */
    public AttemptStarted withSecrets(Map<String, String> values) {
        return new AttemptStarted(number, failures, stepSucceeded, outputs, token, values, waiting, project);
    }

    /** The same answer with the run's project. */
    public AttemptStarted withProject(String runProject) {
        return new AttemptStarted(number, failures, stepSucceeded, outputs, token, secrets, waiting, runProject);
    }

    /** Never the token or the secrets' values: this is what logs show. */
    @Override
    public String toString() {
        return "AttemptStarted[number=" + number + ", failures=" + failures + ", stepSucceeded=" + stepSucceeded
                + ", secrets=" + secrets.keySet() + (waiting == null ? "" : ", waiting=" + waiting) + "]";
    }
}
