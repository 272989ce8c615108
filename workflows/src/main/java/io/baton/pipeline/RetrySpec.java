package io.baton.pipeline;

import java.time.Duration;

/** {@code retries:} of a step: how many times a failing command is tried again, and the backoff between tries. */
public record RetrySpec(int retries, Duration backoff, Duration maxBackoff) {
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);
    public static final RetrySpec NONE = new RetrySpec(0, DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF);
}
