package io.baton.workflows;

/** The {@code ApplicationFailure} types a step attempt fails with, for the workflow and the worker alike. */
public final class StepFailures {
    /** The command ran and exited non-zero; details: the exit code. Retryable by the step's policy. */
    public static final String EXIT_CODE = "StepExitCode";
    /** The command ran past the step's timeout and was killed. */
    public static final String TIMED_OUT = "StepTimedOut";
    /** The step cannot run at all (its bundle is missing or unsafe, its command cannot start). Never retried. */
    public static final String INVALID = "StepInvalid";
    /** The command could not be run or did not end with an exit code. */
    public static final String ERROR = "StepError";
    /** A person rejected the step's approval. */
    public static final String REJECTED = "StepRejected";
    /** The attempt's workspace could not be prepared on its worker. */
    public static final String WORKSPACE = "WorkspaceError";
    /** The worker shut down while the step waited for its room. */
    public static final String WORKER_SHUTDOWN = "WorkerShutdown";
    /** The worker could not report the attempt to the server; Temporal tries the attempt again. */
    public static final String SERVER_UNAVAILABLE = "ServerUnavailable";

    private StepFailures() {}
}
