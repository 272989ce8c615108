package io.baton.workflows;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an {@link EndpointWorkflow} knows and hands on when it continues as new: the revision traffic goes to
 * ({@code stable}, 0 before the first is ready), the canary revision and its share, its live replicas, the revisions
 * whose rollout failed (not tried again until asked anew), the replicas it numbered, the status it last recorded.
 */
public record EndpointState(
        String endpointId,
        int stable,
        int canary,
        int canaryPercent,
        Map<String, Replica> replicas,
        Set<Integer> failed,
        int numbered,
        String status,
        String message) {
    public EndpointState {
        replicas = replicas == null ? new LinkedHashMap<>() : new LinkedHashMap<>(replicas);
        failed = failed == null ? new LinkedHashSet<>() : new LinkedHashSet<>(failed);
    }

    public static EndpointState start(String endpointId) {
        return new EndpointState(endpointId, 0, 0, 0, null, null, 0, null, null);
    }

    /**
     * A live replica: its revision, whether it answered its health path, when it was set to drain (epoch ms in
     * workflow time; 0: not draining) and whether it was told to stop (it is live until its workflow says it ended).
     */
    public record Replica(int revision, boolean ready, long drainingSince, boolean stopping) {
        Replica readied() {
            return new Replica(revision, true, drainingSince, stopping);
        }

        Replica draining(long since) {
            return new Replica(revision, ready, since, stopping);
        }

        Replica stopped() {
            return new Replica(revision, ready, drainingSince, true);
        }
    }
}
