package io.baton.server.api;

import io.baton.workflows.ArtifactRef;
import java.util.List;

/**
 * {@code POST /api/v1/datasets/{name}/versions} as JSON: either the outputs of step {@code step} of run
 * {@code run} matching {@code path} (every output when left out), or {@code files} already in the blob store
 * ({@code path} and {@code sha256} each). A tar.gz body (Content-Type application/gzip) is the third way.
 */
public record DatasetVersionRequest(
        String run, String step, String path, List<ArtifactRef> files, String description) {}
