package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A worker's shared capacity: whole shapes only, GPUs never shared, idle polls hold nothing, a small shape is not
 * held back by a big one.
 */
class CapacityTest {
  private static final byte[] A = {1};
  private static final byte[] B = {2};
  private static final byte[] C = {3};

  @Test
  void aStepTakesItsWholeShapeWhenItArrives() {
    Capacity capacity = new Capacity(4, List.of(0, 1));
    assertThat(capacity.arrive(A, 2, 1).orElseThrow().gpus()).containsExactly(0);
    assertThat(capacity.arrive(B, 2, 1).orElseThrow().gpus()).containsExactly(1);
    assertThat(capacity.fits(1, 0)).isFalse();
    assertThat(capacity.arrive(C, 1, 0)).isEmpty();
    assertThat(capacity.taken(C)).isEmpty();
    capacity.leave(A);
    assertThat(capacity.fits(1, 1)).isTrue();
    assertThat(capacity.gpusOf(B)).containsExactly(1);
  }

  @Test
  void twoStepsNeverShareAGpu() {
    Capacity capacity = new Capacity(8, List.of(0, 1, 2));
    List<Integer> a = capacity.arrive(A, 1, 2).orElseThrow().gpus();
    List<Integer> b = capacity.arrive(B, 1, 1).orElseThrow().gpus();
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(capacity.arrive(C, 1, 1)).isEmpty();
  }

  @Test
  void waitingPollsHoldNothingSoABigShapeIsNotStarvedByIdleSmallPolls() {
    Capacity capacity = new Capacity(4, List.of(0, 1));
    CompletableFuture<Void> smallPoll = capacity.whenFits(1, 1);
    CompletableFuture<Void> bigPoll = capacity.whenFits(1, 2);
    assertThat(smallPoll).isCompleted();
    assertThat(bigPoll).isCompleted(); // both may poll: the idle small poll holds no GPU
    assertThat(capacity.arrive(A, 1, 2).orElseThrow().gpus()).containsExactly(0, 1);
  }

  @Test
  void aSmallShapeThatFitsIsNotHeldBackByABigOneThatWaits() {
    Capacity capacity = new Capacity(4, List.of(0, 1));
    capacity.arrive(A, 1, 1);
    CompletableFuture<Void> big = capacity.whenFits(1, 2);
    assertThat(big).isNotDone();
    assertThat(capacity.whenFits(1, 1)).isCompleted();
    capacity.arrive(B, 1, 1);
    capacity.leave(A);
    assertThat(big).isNotDone(); // GPU 1 is still held
    capacity.leave(B);
    assertThat(big).isCompleted();
  }

  @Test
  void anAbandonedWaitIsForgotten() {
    Capacity capacity = new Capacity(1, List.of());
    capacity.arrive(A, 1, 0);
    CompletableFuture<Void> waiting = capacity.whenFits(1, 0);
    capacity.abandon(waiting);
    capacity.leave(A);
    assertThat(waiting).isNotDone();
    assertThat(capacity.fits(1, 0)).isTrue();
  }

  @Test
  void memoryIsTakenWhenAStepStartsAndGivenBackWhenItLeaves() {
    Capacity capacity = new Capacity(4, List.of(), 8L << 30);
    capacity.arrive(A, 1, 0);
    capacity.arrive(B, 1, 0);
    assertThat(capacity.tryTakeMemory(A, 6L << 30)).isTrue();
    assertThat(capacity.tryTakeMemory(B, 4L << 30)).isFalse(); // waits: only 2 GiB are free
    assertThat(capacity.tryTakeMemory(C, 0)).isTrue(); // asking for none never waits
    capacity.leave(A);
    assertThat(capacity.tryTakeMemory(B, 4L << 30)).isTrue();
    assertThat(capacity.freeMemory()).isEqualTo(4L << 30);
  }

  @Test
  void aStepAskingForMoreMemoryThanTheWorkerHasRunsAlone() {
    Capacity capacity = new Capacity(4, List.of(), 8L << 30);
    assertThat(capacity.tryTakeMemory(A, 64L << 30)).isTrue();
    assertThat(capacity.freeMemory()).isZero();
    assertThat(capacity.tryTakeMemory(B, 1)).isFalse();
  }
}
