package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The endpoint record's reads and writes an {@link EndpointWorkflow} and its {@link ReplicaWorkflow}s make, run as
 * local activities inside the server. Each is idempotent; an ended replica is never brought back.
 */
@ActivityInterface
public interface EndpointActivities {
    @ActivityMethod
    EndpointTarget target(String endpointId);

    /** Records replica {@code replicaId} of {@code revision} as STARTING and answers what its worker runs. */
    @ActivityMethod
    ReplicaRequest replicaPlanned(String endpointId, int revision, String replicaId);

    /** The replica takes no new traffic: DRAINING (until it is stopped). */
    @ActivityMethod
    void replicaDraining(String replicaId);

    /** The replica ended: STOPPED, FAILED or LOST, with why. */
    @ActivityMethod
    void replicaEnded(String replicaId, String status, String message);

    /** Where traffic goes: the stable revision and the canary (0: none) with its share; keeps the served history. */
    @ActivityMethod
    void routing(String endpointId, int stable, int canary, int canaryPercent);

    /** The endpoint's status (STARTING, READY, UPDATING, DEGRADED, FAILED, STOPPED) and why. */
    @ActivityMethod
    void status(String endpointId, String status, String message);

    /**
     * A rollout of {@code revision} failed for {@code message}; the endpoint keeps serving what it served. Answers
     * what the endpoint's status says about it.
     */
    @ActivityMethod
    String rolloutFailed(String endpointId, int revision, String message);

    /** Every replica of a deleted endpoint has stopped: its record goes. */
    @ActivityMethod
    void removed(String endpointId);
}
