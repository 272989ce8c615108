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
 * CPU shape) and its GPUs (each given to one step at a time). A reservation succeeds only when the whole shape fits
 * now; a waiting big shape does not hold back a small one that fits.
 */
final class Capacity {
  /** What one reservation holds: slots and the indices of its GPUs. */
  record Grant(int slots, List<Integer> gpus) {
  }

  private final int totalSlots;
  private final int totalGpus;
  private final TreeSet<Integer> freeGpus = new TreeSet<>();
  private int freeSlots;
  private final List<Waiter> waiters = new ArrayList<>();
  private final Map<String, Grant> byTask = new ConcurrentHashMap<>();

  private record Waiter(int slots, int gpus, CompletableFuture<Grant> future) {
  }

  Capacity(int slots, List<Integer> gpuIndices) {
    this.totalSlots = slots;
    this.freeSlots = slots;
    this.freeGpus.addAll(gpuIndices);
    this.totalGpus = freeGpus.size();
  }

  int totalSlots() {
    return totalSlots;
  }

  int totalGpus() {
    return totalGpus;
  }

  synchronized Optional<Grant> tryTake(int slots, int gpus) {
    if (freeSlots < slots || freeGpus.size() < gpus) {
      return Optional.empty();
    }
    freeSlots -= slots;
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      taken.add(freeGpus.pollFirst());
    }
    return Optional.of(new Grant(slots, List.copyOf(taken)));
  }

  /** A grant now if the shape fits, else once enough is given back. */
  synchronized CompletableFuture<Grant> take(int slots, int gpus) {
    Optional<Grant> now = tryTake(slots, gpus);
    if (now.isPresent()) {
      return CompletableFuture.completedFuture(now.get());
    }
    CompletableFuture<Grant> future = new CompletableFuture<>();
    waiters.add(new Waiter(slots, gpus, future));
    return future;
  }

  /** Withdraws a waiting reservation (the poller stopped); true when it had not been granted. */
  synchronized boolean abandon(CompletableFuture<Grant> future) {
    return waiters.removeIf(w -> w.future == future);
  }

  synchronized void give(Grant grant) {
    freeSlots += grant.slots();
    freeGpus.addAll(grant.gpus());
    // every waiter that fits now gets its grant, in the order they came
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      Optional<Grant> g = tryTake(w.slots, w.gpus);
      if (g.isPresent()) {
        it.remove();
        if (!w.future.complete(g.get())) {
          freeSlots += g.get().slots();
          freeGpus.addAll(g.get().gpus());
        }
      }
    }
  }

  /** Ties a grant to the activity task it was used for, so that the step can learn its GPUs. */
  void bind(byte[] taskToken, Grant grant) {
    byTask.put(key(taskToken), grant);
  }

  void unbind(byte[] taskToken) {
    byTask.remove(key(taskToken));
  }

  /** The GPUs given to the activity task, empty when none (or not known). */
  List<Integer> gpusOf(byte[] taskToken) {
    Grant grant = byTask.get(key(taskToken));
    return grant == null ? List.of() : grant.gpus();
  }

  private static String key(byte[] taskToken) {
    return Base64.getEncoder().encodeToString(taskToken);
  }
}
