package io.baton.workflows;

/** The outcome of one try of a step. LOST: its worker vanished before it could say. */
public enum AttemptStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    LOST,
    CANCELLED;

    public boolean terminal() {
        return this != RUNNING;
    }
}
