package io.baton.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** An endpoint's replica, run by a worker of the endpoint's pool on its serving task queue. */
@ActivityInterface
public interface ReplicaActivities {
    /**
     * Stages the model and the bundle, starts the serving command in a process group of its own, waits for its health
     * path, reports its address to the server and serves, heartbeating, until the activity is cancelled (then it stops
     * the process group and returns). Fails with a {@link ReplicaFailures} type when the replica cannot start, never
     * becomes healthy, or its process exits.
     */
    @ActivityMethod
    void serve(ReplicaRequest request);
}
