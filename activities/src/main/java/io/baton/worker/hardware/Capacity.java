package io.baton.worker.hardware;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a worker can run at once, shared by every pool and shape it serves: slots, GPUs and memory; a step that
 * arrives when its room is taken waits here, first in line (docs/architecture.md, "The worker").
 */
public final class Capacity {
    /** What one step holds: slots and the indices of its GPUs. */
    public record Grant(int slots, List<Integer> gpus) {}

    private final int totalSlots;
    private final int totalGpus;
    private final TreeSet<Integer> freeGpus = new TreeSet<>();
    private int freeSlots;
    private final List<Waiter> polls = new ArrayList<>();
    /** Steps that arrived and wait for their room, oldest first. */
    private final List<Arrival> arrivals = new ArrayList<>();

    private final Map<String, CompletableFuture<Grant>> byTask = new ConcurrentHashMap<>();
    /** Memory is not part of a shape (too many queues): a step takes its memory when it starts, waiting if need be. */
    private final long totalMemory;

    private long freeMemory;
    private final Map<String, Long> memoryByTask = new ConcurrentHashMap<>();
    private final Set<String> waitingForMemory = new HashSet<>();
    /** Set when the worker drains: no queue is polled any more (a poll already out may still bring a step). */
    private boolean draining;

    private record Waiter(int slots, int gpus, CompletableFuture<Void> future) {}

    private record Arrival(String task, int slots, int gpus, CompletableFuture<Grant> room) {}

    public Capacity(int slots, List<Integer> gpuIndices) {
        this(slots, gpuIndices, Long.MAX_VALUE);
    }

    public Capacity(int slots, List<Integer> gpuIndices, long memoryBytes) {
        this.totalMemory = memoryBytes;
        this.freeMemory = memoryBytes;
        this.totalSlots = slots;
        this.freeSlots = slots;
        this.freeGpus.addAll(gpuIndices);
        this.totalGpus = freeGpus.size();
    }

    public int totalGpus() {
        return totalGpus;
    }

    /** Whether a queue of this shape may be polled now: the shape fits and no step that arrived still waits. */
    public synchronized boolean fits(int slots, int gpus) {
        return !draining && arrivals.isEmpty() && waitingForMemory.isEmpty() && free(slots, gpus);
    }

    private boolean free(int slots, int gpus) {
        return freeSlots >= slots && freeGpus.size() >= gpus;
    }

    /** Completes once a queue of this shape may be polled (at once if it may now); takes nothing. */
    public synchronized CompletableFuture<Void> whenFits(int slots, int gpus) {
        if (fits(slots, gpus)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        polls.add(new Waiter(slots, gpus, future));
        return future;
    }

    public synchronized void abandon(CompletableFuture<Void> future) {
        polls.removeIf(w -> w.future == future);
    }

    private Grant take(int slots, int gpus) {
        freeSlots -= slots;
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            taken.add(freeGpus.pollFirst());
        }
        return new Grant(slots, List.copyOf(taken));
    }

    /** Room given back goes to the steps that wait for it (oldest first, each that now fits), then to the polls. */
    private void give(Grant grant) {
        freeSlots += grant.slots();
        freeGpus.addAll(grant.gpus());
        for (Iterator<Arrival> it = arrivals.iterator(); it.hasNext(); ) {
            Arrival a = it.next();
            if (free(a.slots, a.gpus)) {
                it.remove();
                a.room.complete(take(a.slots, a.gpus));
            }
        }
    }

    private void wakePolls() {
        for (Iterator<Waiter> it = polls.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (fits(w.slots, w.gpus)) {
                it.remove();
                w.future.complete(null);
            }
        }
    }

    /**
     * A step arrived for a poll of this shape: it takes its room now if that is free, else it waits for it here.
     * Answers its room, complete once taken.
     */
    public synchronized CompletableFuture<Grant> arrive(byte[] taskToken, int slots, int gpus) {
        CompletableFuture<Grant> room = new CompletableFuture<>();
        if (arrivals.isEmpty() && free(slots, gpus)) {
            room.complete(take(slots, gpus));
        } else {
            arrivals.add(new Arrival(key(taskToken), slots, gpus, room));
        }
        byTask.put(key(taskToken), room);
        return room;
    }

    /**
     * Takes a step's memory if it is free now (a step asking for more than the worker has takes all of it, so that
     * it runs alone rather than never). False: the step must wait for running steps to give memory back, and no
     * queue is polled meanwhile (new steps would take the memory it waits for).
     */
    synchronized boolean tryTakeMemory(byte[] taskToken, long bytes) {
        long wanted = Math.min(bytes, totalMemory);
        if (wanted <= 0) {
            return true;
        }
        String task = key(taskToken);
        if (freeMemory < wanted) {
            waitingForMemory.add(task);
            return false;
        }
        freeMemory -= wanted;
        memoryByTask.put(task, wanted);
        if (waitingForMemory.remove(task)) {
            wakePolls();
        }
        return true;
    }

    synchronized long freeMemory() {
        return freeMemory;
    }

    /** What is in use, as a waiting step's reason says it: "2 of 2 slots in use" (and the GPUs, if any). */
    public synchronized String inUse() {
        String slots = (totalSlots - freeSlots) + " of " + totalSlots + " slots in use";
        return totalGpus == 0 ? slots : slots + ", " + (totalGpus - freeGpus.size()) + " of " + totalGpus + " GPUs";
    }

    /** Memory as a waiting step's reason says it: "2.0 GiB of 8.0 GiB free". */
    public synchronized String memoryFree() {
        return gib(freeMemory) + " of " + gib(totalMemory) + " free";
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** The worker drains: no poll is reserved from now on, also for a shape that was waiting for room to poll. */
    public synchronized void drain() {
        draining = true;
    }

    /** True when no step is held: none runs, none waits for its room. */
    public synchronized boolean idle() {
        return byTask.isEmpty();
    }

    /** The step has left (ended, or cancelled while it waited): give back what it held. */
    public synchronized void leave(byte[] taskToken) {
        String task = key(taskToken);
        Long memory = memoryByTask.remove(task);
        if (memory != null) {
            freeMemory += memory;
        }
        waitingForMemory.remove(task);
        arrivals.removeIf(a -> a.task.equals(task));
        CompletableFuture<Grant> room = byTask.remove(task);
        if (room != null && !room.cancel(false)) {
            give(room.join());
        }
        wakePolls();
    }

    /** The room of the activity task: complete once it holds it; null for a task that never arrived. */
    public CompletableFuture<Grant> room(byte[] taskToken) {
        return byTask.get(key(taskToken));
    }

    /** What the activity task holds; empty while it waits for its room. */
    Optional<Grant> taken(byte[] taskToken) {
        CompletableFuture<Grant> room = room(taskToken);
        return room == null || !room.isDone() || room.isCancelled() ? Optional.empty() : Optional.of(room.join());
    }

    /** The GPUs given to the activity task, empty when none. */
    public List<Integer> gpusOf(byte[] taskToken) {
        return taken(taskToken).map(Grant::gpus).orElse(List.of());
    }

    private static String key(byte[] taskToken) {
        return Base64.getEncoder().encodeToString(taskToken);
    }
}
