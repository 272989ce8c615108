package io.baton.protocol;

/** A worker starts attempt {@code number} (Temporal's attempt number plus the step's attempt base). */
public record AttemptStart(int number, String worker) {
}
