package io.baton.workflows;

/** The {@code ApplicationFailure} types a replica fails with; the message says why, with the end of its output. */
public final class ReplicaFailures {
    /** The model or the bundle could not be staged, or the command could not start. */
    public static final String STAGING = "ReplicaStaging";
    /** The serving process exited before it became healthy; details: the exit code. */
    public static final String EXITED = "ReplicaExited";
    /** The health path never answered 2xx within the request's health timeout. */
    public static final String UNHEALTHY = "ReplicaUnhealthy";
    /** The serving process exited (or stopped answering its health path) after it had become healthy. */
    public static final String STOPPED_SERVING = "ReplicaStoppedServing";
    /** The server refused the replica's report (the replica is not this worker's, or it has ended). */
    public static final String REFUSED = "ReplicaRefused";

    private ReplicaFailures() {}
}
