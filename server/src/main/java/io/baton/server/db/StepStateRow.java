package io.baton.server.db;

/**
 * A step and its run as an attempt's report needs them: both statuses, the step's outputs once it succeeded, and
 * whether the attempt was reported before ({@code reported} attempts of that number).
 */
public record StepStateRow(String runStatus, String stepStatus, String outputs, int reported) {
    public boolean attemptReported() {
        return reported > 0;
    }
}
