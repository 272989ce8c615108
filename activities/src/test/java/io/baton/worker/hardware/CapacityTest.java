package io.baton.worker.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A worker's shared capacity: whole shapes only, GPUs never shared, idle polls hold nothing, a small shape is not
 * held back by a big one, and a step that arrives to find its room taken waits for it on the worker, first in line.
 */
class CapacityTest {
    private static final byte[] A = {1};
    private static final byte[] B = {2};
    private static final byte[] C = {3};

    @Test
    void aStepTakesItsWholeShapeWhenItArrives() {
        Capacity capacity = new Capacity(4, List.of(0, 1));
        assertThat(capacity.arrive(A, 2, 1).join().gpus()).containsExactly(0);
        assertThat(capacity.arrive(B, 2, 1).join().gpus()).containsExactly(1);
        assertThat(capacity.fits(1, 0)).isFalse();
        assertThat(capacity.arrive(C, 1, 0)).isNotDone();
        assertThat(capacity.taken(C)).isEmpty();
        capacity.leave(A);
        assertThat(capacity.taken(C)).contains(new Capacity.Grant(1, List.of()));
        assertThat(capacity.fits(1, 1)).isTrue();
        assertThat(capacity.gpusOf(B)).containsExactly(1);
    }

    @Test
    void twoStepsNeverShareAGpu() {
        Capacity capacity = new Capacity(8, List.of(0, 1, 2));
        List<Integer> a = capacity.arrive(A, 1, 2).join().gpus();
        List<Integer> b = capacity.arrive(B, 1, 1).join().gpus();
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(capacity.arrive(C, 1, 1)).isNotDone();
    }

    @Test
    void waitingPollsHoldNothingSoABigShapeIsNotStarvedByIdleSmallPolls() {
        Capacity capacity = new Capacity(4, List.of(0, 1));
        CompletableFuture<Void> smallPoll = capacity.whenFits(1, 1);
        CompletableFuture<Void> bigPoll = capacity.whenFits(1, 2);
        assertThat(smallPoll).isCompleted();
        assertThat(bigPoll).isCompleted(); // both may poll: the idle small poll holds no GPU
        assertThat(capacity.arrive(A, 1, 2).join().gpus()).containsExactly(0, 1);
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

    @Test
    void aStepThatFindsItsRoomTakenWaitsForItAndNoQueueIsPolledMeanwhile() {
        Capacity capacity = new Capacity(2, List.of());
        // both polls went out while the worker was empty; both bring a step at once
        assertThat(capacity.whenFits(1, 0)).isCompleted();
        assertThat(capacity.whenFits(2, 0)).isCompleted();
        assertThat(capacity.arrive(A, 1, 0)).isCompleted();
        CompletableFuture<Capacity.Grant> big = capacity.arrive(B, 2, 0);
        assertThat(big).isNotDone();
        assertThat(capacity.inUse()).isEqualTo("1 of 2 slots in use");

        // one slot is free, but a step waits: no poll goes out, or new steps would keep the waiting one out
        assertThat(capacity.fits(1, 0)).isFalse();
        CompletableFuture<Void> smallPoll = capacity.whenFits(1, 0);
        assertThat(smallPoll).isNotDone();

        capacity.leave(A);
        assertThat(big.join()).isEqualTo(new Capacity.Grant(2, List.of()));
        assertThat(smallPoll).isNotDone(); // the waiting step took the room first
        capacity.leave(B);
        assertThat(smallPoll).isCompleted();
        assertThat(capacity.idle()).isTrue();
    }

    @Test
    void aStepArrivingWhileAnotherWaitsQueuesBehindIt() {
        Capacity capacity = new Capacity(2, List.of());
        capacity.arrive(A, 1, 0);
        CompletableFuture<Capacity.Grant> big = capacity.arrive(B, 2, 0);
        CompletableFuture<Capacity.Grant> small = capacity.arrive(C, 1, 0); // a poll that was already out
        assertThat(small).as("a slot is free, but B waits for it").isNotDone();
        capacity.leave(A);
        assertThat(big).isCompleted();
        assertThat(small).isNotDone();
        capacity.leave(B);
        assertThat(small).isCompleted();
    }

    @Test
    void aStepCancelledWhileItWaitsGivesUpItsPlaceAndPollsResume() {
        Capacity capacity = new Capacity(2, List.of(0));
        capacity.arrive(A, 1, 1);
        CompletableFuture<Capacity.Grant> waiting = capacity.arrive(B, 1, 1);
        CompletableFuture<Void> poll = capacity.whenFits(1, 0);
        assertThat(capacity.inUse()).isEqualTo("1 of 2 slots in use, 1 of 1 GPUs");

        capacity.leave(B); // its activity ended (cancelled) before it had its room
        assertThat(waiting).isCancelled();
        assertThat(poll).isCompleted();
        capacity.leave(A);
        assertThat(capacity.fits(2, 1)).isTrue();
        assertThat(capacity.idle()).isTrue();
    }

    @Test
    void noQueueIsPolledWhileAStepWaitsForMemory() {
        Capacity capacity = new Capacity(4, List.of(), 8L << 30);
        capacity.arrive(A, 1, 0);
        capacity.arrive(B, 1, 0);
        assertThat(capacity.tryTakeMemory(A, 6L << 30)).isTrue();
        assertThat(capacity.tryTakeMemory(B, 4L << 30)).isFalse();
        assertThat(capacity.memoryFree()).isEqualTo("2.0 GiB of 8.0 GiB free");
        CompletableFuture<Void> poll = capacity.whenFits(1, 0);
        assertThat(poll).as("new steps would take the memory B waits for").isNotDone();
        capacity.leave(A);
        assertThat(capacity.tryTakeMemory(B, 4L << 30)).isTrue();
        assertThat(poll).isCompleted();
    }

    @Test
    void aDrainingWorkerPollsNoMoreButRunsWhatAPollAlreadyOutBrings() {
        Capacity capacity = new Capacity(2, List.of());
        capacity.arrive(A, 2, 0);
        CompletableFuture<Void> poll = capacity.whenFits(1, 0); // a poller waiting for room to poll
        capacity.drain();
        assertThat(capacity.arrive(B, 1, 0)).isNotDone(); // brought by a poll that was out: it waits, then runs
        capacity.leave(A);
        assertThat(capacity.taken(B)).isPresent();
        capacity.leave(B);
        assertThat(poll).isNotDone();
        assertThat(capacity.fits(1, 0)).isFalse();
        assertThat(capacity.idle()).isTrue();
    }
}
