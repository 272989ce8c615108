package io.baton.server.workers;

import io.baton.pipeline.SpecProblem;
import io.baton.server.api.PoolView;
import io.baton.server.api.WorkerView;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.StepPlan;
import io.baton.workflows.TaskQueues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pools as the API shows them: made of the registered workers that serve them; the backlog is what Temporal counts
 * on the pool's task queues (one per resource shape its workers poll).
 */
public final class PoolService {
    private final WorkerService workers;
    private final TemporalService temporal;

    public PoolService(WorkerService workers, TemporalService temporal) {
        this.workers = workers;
        this.temporal = temporal;
    }

    public List<PoolView> list() {
        Map<String, List<WorkerView>> byPool = new TreeMap<>();
        for (WorkerView w : workers.list()) {
            for (String pool : w.pools()) {
                byPool.computeIfAbsent(pool, p -> new ArrayList<>()).add(w);
            }
        }
        List<PoolView> pools = new ArrayList<>();
        byPool.forEach((pool, members) -> {
            List<WorkerView> online =
                    members.stream().filter(w -> !"OFFLINE".equals(w.status())).toList();
            int maxSlots = members.stream().mapToInt(WorkerView::slots).max().orElse(1);
            int maxGpus = members.stream().mapToInt(w -> w.gpus().size()).max().orElse(0);
            long backlog = 0;
            for (int cpus = 1; cpus <= maxSlots; cpus *= 2) {
                for (int gpus = 0; gpus <= maxGpus; gpus++) {
                    backlog += temporal.activityBacklog(TaskQueues.pool(pool, cpus, gpus));
                }
            }
            pools.add(new PoolView(
                    pool,
                    online.size(),
                    online.stream().mapToInt(WorkerView::slots).sum(),
                    online.stream().mapToInt(WorkerView::usedSlots).sum(),
                    online.stream().mapToInt(w -> w.gpus().size()).sum(),
                    backlog));
        });
        return pools;
    }

    /**
     * The steps of a plan that no registered worker of their pool could ever run, each with why (the workers are read
     * once for the whole plan); empty when every step fits or waits for a worker of a pool that has none yet.
     */
    public List<SpecProblem> unplaceable(List<StepPlan> steps) {
        List<WorkerView> registered = workers.list();
        List<SpecProblem> problems = new ArrayList<>();
        for (StepPlan step : steps) {
            String why = unfittable(registered, step.pool(), step.cpus(), step.memoryBytes(), step.gpus());
            if (why != null) {
                problems.add(new SpecProblem("steps." + step.name() + ".resources", null, null, why));
            }
        }
        return problems;
    }

    /**
     * Why a step of {@code pool} cannot be placed on any of the {@code registered} workers of the pool, or null when
     * one could take it (or when the pool has no registered worker at all: the step then waits for one).
     */
    static String unfittable(List<WorkerView> registered, String pool, double cpus, long memoryBytes, int gpus) {
        List<WorkerView> members =
                registered.stream().filter(w -> w.pools().contains(pool)).toList();
        if (members.isEmpty()) {
            return null;
        }
        int slots = TaskQueues.cpuShape(cpus);
        boolean fits = members.stream()
                .anyMatch(w -> w.slots() >= slots
                        && w.gpus().size() >= gpus
                        && (memoryBytes == 0 || w.memoryBytes() >= memoryBytes));
        if (fits) {
            return null;
        }
        WorkerView largest = members.stream()
                .max(Comparator.comparingInt((WorkerView w) -> w.gpus().size()).thenComparingInt(WorkerView::slots))
                .orElseThrow();
        return "no registered worker of pool '" + pool + "' could ever run it: it asks for " + slots + " slot(s) (cpus "
                + cpus + "), " + gpus + " GPU(s) and " + memoryBytes + " bytes of memory; the largest worker ("
                + largest.name() + ") has " + largest.slots() + " slots, "
                + largest.gpus().size() + " GPU(s) and "
                + largest.memoryBytes() + " bytes";
    }
}
