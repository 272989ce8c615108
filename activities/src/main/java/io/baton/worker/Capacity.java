package io.baton.worker;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a worker can run at once, shared by every pool and shape it serves: its slots (a step takes as many as its
 * CPU shape) and its GPUs (each given to one step at a time).
 *
 * <p>A shape's queue is polled only while the whole shape fits (a waiting big shape does not hold back a small one
 * that fits), but nothing is taken while a poll waits: resources are taken when a step arrives. Idle polls holding
 * resources would starve every other shape (a poll for one GPU would keep a two-GPU step out forever). When two
 * polls of shapes that both fitted receive steps at once and only one still fits, the other step is handed back
 * to its pool ({@link #taken} is empty for it).
 */
final class Capacity {
  /** What one step holds: slots and the indices of its GPUs. */
  record Grant(int slots, List<Integer> gpus) {
  }

  private final int totalSlots;
  private final int totalGpus;
  private final TreeSet<Integer> freeGpus = new TreeSet<>();
  private int freeSlots;
  private final List<Waiter> waiters = new ArrayList<>();
  private final Map<String, Optional<Grant>> byTask = new ConcurrentHashMap<>();
  /** Memory is not part of a shape (too many queues): a step takes its memory when it starts, waiting if need be. */
  private final long totalMemory;
  private long freeMemory;
  private final Map<String, Long> memoryByTask = new ConcurrentHashMap<>();

  private record Waiter(int slots, int gpus, CompletableFuture<Void> future) {
  }

  Capacity(int slots, List<Integer> gpuIndices) {
    this(slots, gpuIndices, Long.MAX_VALUE);
  }

  Capacity(int slots, List<Integer> gpuIndices, long memoryBytes) {
    this.totalMemory = memoryBytes;
    this.freeMemory = memoryBytes;
    this.totalSlots = slots;
    this.freeSlots = slots;
    this.freeGpus.addAll(gpuIndices);
    this.totalGpus = freeGpus.size();
  }

  int totalGpus() {
    return totalGpus;
  }

  synchronized boolean fits(int slots, int gpus) {
    return freeSlots >= slots && freeGpus.size() >= gpus;
  }

  /** Completes once the shape fits (at once if it does now); takes nothing. */
  synchronized CompletableFuture<Void> whenFits(int slots, int gpus) {
    if (fits(slots, gpus)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    waiters.add(new Waiter(slots, gpus, future));
    return future;
  }

  synchronized void abandon(CompletableFuture<Void> future) {
    waiters.removeIf(w -> w.future == future);
  }

  synchronized Optional<Grant> tryTake(int slots, int gpus) {
    if (!fits(slots, gpus)) {
      return Optional.empty();
    }
    freeSlots -= slots;
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      taken.add(freeGpus.pollFirst());
    }
    return Optional.of(new Grant(slots, List.copyOf(taken)));
  }

  synchronized void give(Grant grant) {
    freeSlots += grant.slots();
    freeGpus.addAll(grant.gpus());
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (fits(w.slots, w.gpus)) {
        it.remove();
        w.future.complete(null);
      }
    }
  }

  /** A step arrived for a poll of this shape: take its resources now (empty when they were taken meanwhile). */
  Optional<Grant> arrive(byte[] taskToken, int slots, int gpus) {
    Optional<Grant> grant = tryTake(slots, gpus);
    byTask.put(key(taskToken), grant);
    return grant;
  }

  /**
   * Takes a step's memory if it is free now (a step asking for more than the worker has takes all of it, so that
   * it runs alone rather than never). False: the step must wait for running steps to give memory back.
   */
  synchronized boolean tryTakeMemory(byte[] taskToken, long bytes) {
    long wanted = Math.min(bytes, totalMemory);
    if (wanted <= 0) {
      return true;
    }
    if (freeMemory < wanted) {
      return false;
    }
    freeMemory -= wanted;
    memoryByTask.put(key(taskToken), wanted);
    return true;
  }

  synchronized long freeMemory() {
    return freeMemory;
  }

  /** The step has left: give back what it held. */
  void leave(byte[] taskToken) {
    Long memory = memoryByTask.remove(key(taskToken));
    if (memory != null) {
      synchronized (this) {
        freeMemory += memory;
      }
    }
    Optional<Grant> grant = byTask.remove(key(taskToken));
    if (grant != null) {
      grant.ifPresent(this::give);
    }
  }

  /** What the activity task holds; empty when it arrived at a full worker (it must go back to its pool). */
  Optional<Grant> taken(byte[] taskToken) {
    return byTask.getOrDefault(key(taskToken), Optional.empty());
  }

  /** The GPUs given to the activity task, empty when none. */
  List<Integer> gpusOf(byte[] taskToken) {
    return taken(taskToken).map(Grant::gpus).orElse(List.of());
  }

  private static String key(byte[] taskToken) {
    return Base64.getEncoder().encodeToString(taskToken);
  }
}
