package io.baton.protocol;

import io.baton.workflows.AttemptStatus;

/** How an attempt ended on its worker; {@code exitCode} null when the process never ran. */
public record AttemptFinish(AttemptStatus status, Integer exitCode, String message) {
}
