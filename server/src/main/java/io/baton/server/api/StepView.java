package io.baton.server.api;

import java.time.Instant;
import java.util.List;

/** A step of a run, with its attempts oldest first. */
public record StepView(String name, String status, String reason, String pool, Integer exitCode, Instant startedAt,
                       Instant finishedAt, List<AttemptView> attempts) {
}
