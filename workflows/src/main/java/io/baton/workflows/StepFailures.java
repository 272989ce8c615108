package io.baton.workflows;

/** The {@code ApplicationFailure} types a step attempt fails with. */
public final class StepFailures {
    /** The command ran and exited non-zero; details: the exit code. Retryable by the step's policy. */
    public static final String EXIT_CODE = "StepExitCode";
    /** The command ran past the step's timeout and was killed. */
    public static final String TIMED_OUT = "StepTimedOut";
    /** The step cannot run at all (its bundle is missing or unsafe, its command cannot start). Never retried. */
    public static final String INVALID = "StepInvalid";

    private StepFailures() {}
}
