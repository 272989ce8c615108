package io.baton.server.workers;

import io.baton.pipeline.SpecProblem;
import io.baton.server.api.PoolView;
import io.baton.server.api.WorkerView;
import io.baton.server.core.BatonException;
import io.baton.server.core.Projects;
import io.baton.server.db.PoolDao;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.StepPlan;
import io.baton.workflows.TaskQueues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Pools as the API shows them: made of the registered workers that serve them; the backlog is what Temporal counts
 * on the pool's task queues (one per resource shape its workers poll).
 */
public final class PoolService {
    private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private final Jdbi jdbi;
    private final WorkerService workers;
    private final TemporalService temporal;

    public PoolService(WorkerService workers, TemporalService temporal, Jdbi jdbi) {
        this.jdbi = jdbi;
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
                    backlog,
                    limitedTo(pool)));
        });
        return pools;
    }

    /** The projects a pool is limited to, or null when it is open to every project. */
    public List<String> limitedTo(String pool) {
        List<String> projects = jdbi.onDemand(PoolDao.class).projectsOf(pool);
        return projects.isEmpty() ? null : projects;
    }

    /** {@code PUT /api/v1/pools/{name}}: limits a pool to some projects (null or empty: every project). */
    public PoolView limit(String pool, List<String> projects) {
        if (pool == null || !POOL.matcher(pool).matches()) {
            throw BatonException.badRequest("a pool's name must match [a-z0-9][a-z0-9-]{0,62}");
        }
        List<String> checked = new ArrayList<>();
        for (String p : projects == null ? List.<String>of() : projects) {
            checked.add(Projects.check(p));
        }
        jdbi.onDemand(PoolDao.class).limit(pool, checked.stream().distinct().toList());
        return list().stream()
                .filter(v -> v.name().equals(pool))
                .findFirst()
                .orElse(new PoolView(pool, 0, 0, 0, 0, 0, limitedTo(pool)));
    }

    /**
     * The steps of a plan that no registered worker of their pool could ever run, each with why (the workers are read
     * once for the whole plan); empty when every step fits or waits for a worker of a pool that has none yet.
     */
    public List<SpecProblem> unplaceable(List<StepPlan> steps, String project) {
        List<WorkerView> registered = workers.list();
        List<SpecProblem> problems = new ArrayList<>();
        for (StepPlan step : steps) {
            List<String> limited = limitedTo(step.pool());
            if (limited != null && !limited.contains(project)) {
                problems.add(new SpecProblem(
                        "steps." + step.name() + ".pool",
                        null,
                        null,
                        "pool '" + step.pool() + "' runs the steps of other projects only, not of '" + project + "'"));
                continue;
            }
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
