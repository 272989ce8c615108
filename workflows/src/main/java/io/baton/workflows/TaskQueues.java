package io.baton.workflows;

/** Every task queue name Baton uses, in one place. */
public final class TaskQueues {
    /** Where the server's workflow worker (pipeline workflows and control activities) polls. */
    public static final String CONTROL = "baton-control";

    private static final String POOL_PREFIX = "pool-";

    private TaskQueues() {}

    /** The task queue of a pool's smallest steps (one CPU, no GPU): {@code pool-cpu}, {@code pool-gpu}, ... */
    public static String pool(String pool) {
        return POOL_PREFIX + pool;
    }

    /**
     * The task queue of a pool's steps of one resource shape: a pool is a family of queues, one per shape, so that a
     * worker takes a step only when it can start it now, and a small step never waits behind a big one. The shape is
     * the step's CPUs rounded up to a power of two and its exact number of GPUs: {@code pool-gpu-g1},
     * {@code pool-cpu-c4}, {@code pool-gpu-c8-g2}; one CPU and no GPU is the plain {@link #pool(String)}.
     */
    public static String pool(String pool, int cpus, int gpus) {
        return POOL_PREFIX + pool + (cpus > 1 ? "-c" + cpus : "") + (gpus > 0 ? "-g" + gpus : "");
    }

    /**
     * The task queue of a pool's endpoint replicas: {@code serve-cpu}, or {@code serve-gpu-g1} for replicas that ask
     * for GPUs. A worker polls it with serving slots of its own, beside its step slots.
     */
    public static String serving(String pool, int gpus) {
        return "serve-" + pool + (gpus > 0 ? "-g" + gpus : "");
    }

    /** A step's CPU request as its shape counts it: at least one, rounded up to a power of two. */
    public static int cpuShape(double cpus) {
        int needed = Math.max(1, (int) Math.ceil(cpus));
        return Integer.highestOneBit(needed) == needed ? needed : Integer.highestOneBit(needed) << 1;
    }
}
