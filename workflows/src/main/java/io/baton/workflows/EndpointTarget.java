package io.baton.workflows;

/**
 * What an endpoint's record asks for now: the revision to serve, the canary revision and its share (0: none), the
 * number of replicas per revision, the task queue its replicas run on, and whether it is being deleted. {@code exists}
 * is false when there is no such endpoint (the workflow then stops what it runs and ends).
 */
public record EndpointTarget(
        boolean exists,
        boolean deleting,
        int revision,
        int canaryRevision,
        int canaryPercent,
        int replicas,
        String pool) {
    public static EndpointTarget none() {
        return new EndpointTarget(false, true, 0, 0, 0, 0, null);
    }
}
