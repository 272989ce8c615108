package io.baton.protocol;

/**
 * Worker {@code worker} holds the step but cannot start attempt {@code number} yet (its room or memory is in use);
 * {@code reason} says so in the step's record until the attempt starts.
 */
public record AttemptWaiting(String worker, String reason) {}
