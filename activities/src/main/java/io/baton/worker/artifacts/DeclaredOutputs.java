package io.baton.worker.artifacts;

import io.baton.pipeline.Outputs;
import io.baton.workflows.ArtifactRef;
import java.util.List;

/** Checks that a step wrote what its spec declares under {@code outputs:}. */
public final class DeclaredOutputs {
    private DeclaredOutputs() {}

    /** Null when every declared file exists and every declared glob matched a file; else what is missing. */
    public static String missing(List<String> declared, List<ArtifactRef> produced) {
        for (String output : declared) {
            if (produced.stream().noneMatch(p -> Outputs.selects(output, p.path()))) {
                return "the step declares output '" + output + "' but wrote no such file under $BATON_OUTPUTS";
            }
        }
        return null;
    }
}
