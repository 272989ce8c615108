package io.baton.worker.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.bundle.BundleException;
import io.baton.bundle.BundleLimits;
import io.baton.bundle.Bundles;
import io.baton.worker.workspace.Workspace;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StagedInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an attempt's fresh workspace before its command starts: code bundle, inputs, an earlier checkpoint,
 * parameters.
 */
public final class WorkspaceStaging {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceStaging.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Artifacts artifacts;

    public WorkspaceStaging(Artifacts artifacts) {
        this.artifacts = artifacts;
    }

    /** {@code restored}: the last checkpoint of an earlier attempt, or null. */
    public void stage(
            Workspace workspace,
            String bundle,
            List<StagedInput> inputs,
            ArtifactRef restored,
            Map<String, Object> parameters)
            throws IOException, BundleException {
        workspace.create();
        stageBundle(bundle, workspace);
        artifacts.stage(inputs, workspace.inputs());
        if (restored != null) {
            Checkpoints.restore(restored, workspace.checkpoint(), artifacts);
            log.info("restored checkpoint {} of an earlier attempt", restored.sha256());
        }
        JSON.writeValue(workspace.parametersFile().toFile(), parameters);
    }

    private void stageBundle(String sha256, Workspace workspace) throws IOException, BundleException {
        if (sha256 == null || sha256.isBlank()) {
            return;
        }
        artifacts.use(sha256, cached -> {
            try (InputStream in = Files.newInputStream(cached)) {
                Bundles.unpack(in, workspace.code(), BundleLimits.DEFAULT);
            }
        });
    }
}
