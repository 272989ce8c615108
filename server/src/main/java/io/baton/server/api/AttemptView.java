package io.baton.server.api;

import java.time.Instant;

/** One try of a step. */
public record AttemptView(
        int number,
        String status,
        String worker,
        Integer exitCode,
        String message,
        Instant startedAt,
        Instant finishedAt) {}
