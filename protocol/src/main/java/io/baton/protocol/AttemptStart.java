package io.baton.protocol;

/**
 * A worker starts attempt {@code number} (Temporal's attempt number plus the step's attempt base), on this
 * environment and hardware. Both are null in reports from workers that do not send them.
 */
public record AttemptStart(int number, String worker, AttemptEnvironment environment, AttemptHardware hardware) {
    public AttemptStart(int number, String worker) {
        this(number, worker, null, null);
    }
}
