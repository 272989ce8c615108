package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A worker's shared capacity: whole shapes only, GPUs never shared, a small shape not held back by a big one. */
class CapacityTest {
  @Test
  void grantsAShapeOnlyWhenAllOfItFits() {
    Capacity capacity = new Capacity(4, List.of(0, 1));
    Capacity.Grant first = capacity.tryTake(2, 1).orElseThrow();
    Capacity.Grant second = capacity.tryTake(2, 1).orElseThrow();
    assertThat(first.gpus()).containsExactly(0);
    assertThat(second.gpus()).containsExactly(1);
    assertThat(capacity.tryTake(1, 0)).isEmpty();
    capacity.give(first);
    assertThat(capacity.tryTake(1, 1).orElseThrow().gpus()).containsExactly(0);
  }

  @Test
  void twoStepsNeverShareAGpu() {
    Capacity capacity = new Capacity(8, List.of(0, 1, 2));
    List<Integer> a = capacity.tryTake(1, 2).orElseThrow().gpus();
    List<Integer> b = capacity.tryTake(1, 1).orElseThrow().gpus();
    assertThat(a).doesNotContainAnyElementsOf(b);
    assertThat(capacity.tryTake(1, 1)).isEmpty();
  }

  @Test
  void aWaitingBigShapeDoesNotHoldBackASmallOneThatFits() {
    Capacity capacity = new Capacity(4, List.of(0, 1));
    Capacity.Grant held = capacity.tryTake(1, 1).orElseThrow();
    CompletableFuture<Capacity.Grant> big = capacity.take(2, 2);
    assertThat(big).isNotDone();
    CompletableFuture<Capacity.Grant> small = capacity.take(1, 1);
    assertThat(small).isCompleted();
    assertThat(small.join().gpus()).containsExactly(1);

    capacity.give(held);
    assertThat(big).isNotDone(); // GPU 1 is still taken by the small step
    capacity.give(small.join());
    assertThat(big).isCompleted();
    assertThat(big.join().gpus()).containsExactly(0, 1);
  }

  @Test
  void anAbandonedReservationTakesNothing() {
    Capacity capacity = new Capacity(1, List.of());
    Capacity.Grant held = capacity.tryTake(1, 0).orElseThrow();
    CompletableFuture<Capacity.Grant> waiting = capacity.take(1, 0);
    assertThat(capacity.abandon(waiting)).isTrue();
    capacity.give(held);
    assertThat(waiting).isNotDone();
    assertThat(capacity.tryTake(1, 0)).isPresent();
  }

  @Test
  void theGpusOfATaskAreKnownWhileItRuns() {
    Capacity capacity = new Capacity(2, List.of(3, 5));
    Capacity.Grant grant = capacity.tryTake(1, 2).orElseThrow();
    byte[] token = {1, 2, 3};
    capacity.bind(token, grant);
    assertThat(capacity.gpusOf(token)).containsExactly(3, 5);
    capacity.unbind(token);
    assertThat(capacity.gpusOf(token)).isEmpty();
  }
}
