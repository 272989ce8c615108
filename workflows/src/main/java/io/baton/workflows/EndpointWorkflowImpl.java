package io.baton.workflows;

import io.baton.workflows.EndpointState.Replica;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancelExternalWorkflowException;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Reconciles an endpoint's replicas with its record each time something happens (a change, a replica ready or ended, a
 * drain's end): level-triggered, so that a crash or a continue-as-new anywhere resumes from what is, not from where it
 * was (docs/endpoints.md, "How a rollout goes").
 */
public final class EndpointWorkflowImpl implements EndpointWorkflow {
    /** How long a replica that leaves traffic keeps serving before it is stopped: longer than any proxy's cache. */
    public static final Duration DRAIN = Duration.ofSeconds(3);
    /** A history this long continues as new: the replicas, children that outlive it, are handed on. */
    static final int CONTINUE_AFTER_EVENTS = 2_000;

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger log = Workflow.getLogger(EndpointWorkflowImpl.class);

    private final EndpointActivities records =
            Workflow.newLocalActivityStub(EndpointActivities.class, RecordWrites.options());

    private String endpointId;
    private int stable;
    private int canary;
    private int canaryPercent;
    private Map<String, Replica> replicas = new LinkedHashMap<>();
    private Set<Integer> failed = new LinkedHashSet<>();
    private int numbered;
    private String status;
    private String message;

    private boolean changed = true;
    private boolean happened;
    /** Replicas that ended before they were ready, by revision: the reason of the last one. */
    private final Map<Integer, String> unready = new LinkedHashMap<>();
    /** Replicas of a revision that ended in a row without one becoming ready, and when another may start. */
    private final Map<Integer, Integer> losses = new HashMap<>();

    private final Map<Integer, Long> nextStart = new HashMap<>();

    @Override
    public void run(EndpointState state) {
        endpointId = state.endpointId();
        stable = state.stable();
        canary = state.canary();
        canaryPercent = state.canaryPercent();
        replicas = new LinkedHashMap<>(state.replicas());
        failed = new LinkedHashSet<>(state.failed());
        numbered = state.numbered();
        status = state.status();
        message = state.message();
        EndpointTarget target = null;
        while (true) {
            if (changed) {
                changed = false;
                target = records.target(endpointId);
            }
            if (!target.exists() || target.deleting()) {
                stopEverything(target.exists());
                return;
            }
            long wake = reconcile(target);
            if (Workflow.getInfo().getHistoryLength() > CONTINUE_AFTER_EVENTS
                    || Workflow.getInfo().isContinueAsNewSuggested()) {
                Workflow.continueAsNew(new EndpointState(
                        endpointId, stable, canary, canaryPercent, replicas, failed, numbered, status, message));
            }
            long now = Workflow.currentTimeMillis();
            Duration wait = wake == Long.MAX_VALUE ? Duration.ofDays(1) : Duration.ofMillis(Math.max(1, wake - now));
            Workflow.await(wait, () -> changed || happened);
            happened = false;
        }
    }

    @Override
    public void changed() {
        changed = true;
    }

    @Override
    public void replicaReady(String replicaId) {
        Replica replica = replicas.get(replicaId);
        if (replica != null && !replica.ready()) {
            replicas.put(replicaId, replica.readied());
            losses.remove(replica.revision());
            nextStart.remove(replica.revision());
            happened = true;
        }
    }

    @Override
    public void replicaEnded(String replicaId, String endedAs, String why) {
        Replica replica = replicas.remove(replicaId);
        if (replica == null) {
            return;
        }
        happened = true;
        if (replica.stopping()) {
            return; // stopped as asked
        }
        int revision = replica.revision();
        if (!replica.ready() && "FAILED".equals(endedAs)) {
            unready.put(revision, why);
        }
        // a replica that ended on its own is replaced, later each time it happens again
        int lost = losses.merge(revision, 1, Integer::sum);
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(lost - 1, 10));
        nextStart.put(revision, Workflow.currentTimeMillis() + backoff);
        if (why != null) {
            message = "replica " + replicaId + " " + endedAs.toLowerCase() + ": " + why;
        }
    }

    /** Brings the replicas and the routing one step closer to {@code target}; answers when to look again. */
    private long reconcile(EndpointTarget target) {
        long now = Workflow.currentTimeMillis();
        int wantedReplicas = target.replicas();
        int revision = target.revision();
        // a new revision (or canary) that could not start a single ready replica is not tried again until asked anew
        for (Map.Entry<Integer, String> e : unready.entrySet()) {
            int r = e.getKey();
            if (r != stable && (r == revision || r == target.canaryRevision()) && failed.add(r)) {
                message = records.rolloutFailed(endpointId, r, e.getValue());
            }
        }
        unready.clear();
        boolean rollingOut = revision != stable && !failed.contains(revision);
        int wantedCanary = target.canaryRevision() != 0
                        && target.canaryRevision() != stable
                        && !failed.contains(target.canaryRevision())
                ? target.canaryRevision()
                : 0;
        int canaryReplicas =
                wantedCanary == 0 ? 0 : Math.max(1, (int) Math.ceil(wantedReplicas * target.canaryPercent() / 100.0));

        // traffic moves only to a revision whose replicas are all ready
        if (rollingOut && ready(revision) >= wantedReplicas) {
            int before = stable;
            stable = revision;
            if (canary == revision) {
                canary = 0;
                canaryPercent = 0;
            }
            records.routing(endpointId, stable, canary, canaryPercent);
            log.info("endpoint {}: traffic moved from revision {} to {}", endpointId, before, stable);
            rollingOut = false;
            message = null;
        }
        if (wantedCanary != 0 && wantedCanary != revision && ready(wantedCanary) >= canaryReplicas) {
            if (canary != wantedCanary || canaryPercent != target.canaryPercent()) {
                canary = wantedCanary;
                canaryPercent = target.canaryPercent();
                records.routing(endpointId, stable, canary, canaryPercent);
            }
        } else if (wantedCanary == 0 && canary != 0 && !(rollingOut && canary == revision)) {
            // the canary was rolled back (a promotion keeps its share until the whole revision is ready)
            canary = 0;
            canaryPercent = 0;
            records.routing(endpointId, stable, canary, canaryPercent);
        }

        // how many replicas each revision should have now
        Map<Integer, Integer> wanted = new LinkedHashMap<>();
        if (stable != 0) {
            wanted.put(stable, wantedReplicas);
        }
        if (rollingOut) {
            wanted.merge(revision, wantedReplicas, Math::max);
        }
        if (wantedCanary != 0) {
            wanted.merge(wantedCanary, canaryReplicas, Math::max);
        }
        long wake = Long.MAX_VALUE;
        for (Map.Entry<String, Replica> e : new ArrayList<>(replicas.entrySet())) {
            Replica replica = e.getValue();
            if (replica.drainingSince() == 0 && !replica.stopping() && !wanted.containsKey(replica.revision())) {
                drain(e.getKey(), replica, now, false);
            }
        }
        for (Map.Entry<Integer, Integer> e : wanted.entrySet()) {
            int r = e.getKey();
            List<String> live = live(r);
            for (int i = e.getValue(); i < live.size(); i++) { // too many: the last started go first
                String id = live.get(live.size() - 1 - (i - e.getValue()));
                drain(id, replicas.get(id), now, r == stable || r == canary);
            }
            int missing = e.getValue() - live.size();
            if (missing > 0) {
                long allowed = nextStart.getOrDefault(r, 0L);
                if (allowed > now) {
                    wake = Math.min(wake, allowed);
                } else {
                    for (int i = 0; i < missing; i++) {
                        start(r, target.pool());
                    }
                }
            }
        }
        // drained replicas stop once no proxy can still send them a request
        for (Map.Entry<String, Replica> e : new ArrayList<>(replicas.entrySet())) {
            Replica replica = e.getValue();
            if (replica.drainingSince() != 0 && !replica.stopping()) {
                long until = replica.drainingSince() + (replica.ready() ? DRAIN.toMillis() : 0);
                if (until <= now) {
                    stop(e.getKey(), replica);
                } else {
                    wake = Math.min(wake, until);
                }
            }
        }
        report(target, rollingOut, wantedCanary, canaryReplicas);
        return wake;
    }

    private void report(EndpointTarget target, boolean rollingOut, int wantedCanary, int canaryReplicas) {
        String now;
        String why = message;
        if (stable == 0) {
            now = failed.contains(target.revision()) ? "FAILED" : "STARTING";
        } else if (ready(stable) < target.replicas()) {
            now = "DEGRADED";
            why = ready(stable) + " of " + target.replicas() + " replicas ready"
                    + (message == null ? "" : "; " + message);
        } else if (rollingOut || (wantedCanary != 0 && canary != wantedCanary)) {
            now = "UPDATING";
        } else {
            now = "READY";
            if (!failed.contains(target.revision()) && !failed.contains(target.canaryRevision())) {
                why = null;
                message = null;
            }
        }
        if (!now.equals(status) || !same(why, statusMessage)) {
            status = now;
            statusMessage = why;
            records.status(endpointId, now, why);
        }
    }

    private String statusMessage;

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private int ready(int revision) {
        int n = 0;
        for (Replica replica : replicas.values()) {
            if (replica.revision() == revision
                    && replica.ready()
                    && replica.drainingSince() == 0
                    && !replica.stopping()) {
                n++;
            }
        }
        return n;
    }

    /** The replicas of a revision that serve or are starting (not draining, not stopping), oldest first. */
    private List<String> live(int revision) {
        List<String> ids = new ArrayList<>();
        replicas.forEach((id, r) -> {
            if (r.revision() == revision && r.drainingSince() == 0 && !r.stopping()) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void start(int revision, String pool) {
        numbered++;
        // unique across runs of this workflow, also a fresh one started by the reconciler after a failed one
        String replicaId = endpointId + "-" + revision + "-" + numbered + "-"
                + Workflow.randomUUID().toString().substring(0, 8);
        ReplicaRequest request = records.replicaPlanned(endpointId, revision, replicaId);
        replicas.put(replicaId, new Replica(revision, false, 0, false));
        ReplicaWorkflow child = Workflow.newChildWorkflowStub(
                ReplicaWorkflow.class,
                ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(ReplicaWorkflow.workflowId(replicaId))
                        .setTaskQueue(TaskQueues.CONTROL)
                        // a replica outlives this run of its endpoint's workflow (continue-as-new hands it on)
                        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .build());
        Async.procedure(
                child::run,
                request,
                TaskQueues.serving(pool, request.gpus()),
                Workflow.getInfo().getWorkflowId());
        Workflow.getWorkflowExecution(child).get(); // started: nothing is pending when this run continues as new
    }

    /** Takes a replica out of traffic; {@code routed}: its revision takes traffic, so the proxies must hear of it. */
    private void drain(String replicaId, Replica replica, long now, boolean routed) {
        if (routed && replica.ready()) {
            records.replicaDraining(replicaId);
        }
        replicas.put(replicaId, replica.draining(now));
    }

    private void stop(String replicaId, Replica replica) {
        replicas.put(replicaId, replica.stopped());
        try {
            Workflow.newUntypedExternalWorkflowStub(ReplicaWorkflow.workflowId(replicaId))
                    .cancel();
        } catch (CancelExternalWorkflowException ended) {
            replicas.remove(replicaId); // its workflow had ended already
        }
    }

    /** A deleted endpoint: every replica stops now; once all have ended its record goes. */
    private void stopEverything(boolean recorded) {
        if (recorded) {
            records.status(endpointId, "STOPPED", "deleted; stopping its replicas");
        }
        if (stable != 0 || canary != 0) {
            stable = 0;
            canary = 0;
            if (recorded) {
                records.routing(endpointId, 0, 0, 0);
            }
        }
        for (Map.Entry<String, Replica> e : new ArrayList<>(replicas.entrySet())) {
            if (!e.getValue().stopping()) {
                stop(e.getKey(), e.getValue());
            }
        }
        Workflow.await(Duration.ofMinutes(2), () -> replicas.isEmpty());
        if (!replicas.isEmpty()) {
            log.warn("endpoint {}: {} replica(s) did not say they ended; removed anyway", endpointId, replicas.size());
        }
        if (recorded) {
            records.removed(endpointId);
        }
    }
}
