package io.baton.server.api;

import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.List;

/**
 * A step of a run, with its attempts oldest first. {@code outputs}: what it hands on (when it succeeded, was
 * cached or reused); {@code cachedFrom}: the run whose result a CACHED step took; {@code approval}: the decision on
 * a step with {@code approval: true}, once made.
 */
public record StepView(
        String name,
        String status,
        String reason,
        String pool,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        List<ArtifactRef> outputs,
        String cachedFrom,
        ApprovalView approval,
        List<AttemptView> attempts) {
    /** Who approved or rejected a step, when, and their note. */
    public record ApprovalView(boolean approved, String by, String note, Instant at) {}
}
