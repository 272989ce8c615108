package io.baton.workflows;

/** The life of a step of a run. */
public enum StepStatus {
    PENDING,
    WAITING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    CACHED,
    REUSED,
    SKIPPED;

    /** Done, with outputs to hand on: it ran and succeeded, or an earlier result was taken over. */
    public boolean succeeded() {
        return this == SUCCEEDED || this == CACHED || this == REUSED;
    }

    public boolean terminal() {
        return this != PENDING && this != WAITING && this != RUNNING;
    }
}
