package io.baton.worker.hardware;

import io.baton.common.Retry;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StepFailures;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Holds a step that reached this worker until its room and its memory are free, heartbeating while it waits. */
public final class StepAdmission {
    private final Capacity capacity;
    private final String workerName;

    public StepAdmission(Capacity capacity, String workerName) {
        this.capacity = capacity;
        this.workerName = workerName;
    }

    /**
     * Waits for the step's room, then its memory; {@code waiting} hears why the step waits, once per wait. Each
     * heartbeat learns of a cancel and keeps {@code restored}, the checkpoint of an earlier attempt, for the next try.
     */
    public void await(
            String step,
            long memoryBytes,
            ActivityExecutionContext context,
            ArtifactRef restored,
            Consumer<String> waiting) {
        awaitRoom(step, context, restored, waiting);
        awaitMemory(memoryBytes, context, restored, waiting);
    }

    /**
     * The room this step's poll found free but another shape's step took meanwhile: the step is this worker's now (it
     * takes the room first when it frees), and no attempt starts before it has it.
     */
    private void awaitRoom(
            String step, ActivityExecutionContext context, ArtifactRef restored, Consumer<String> waiting) {
        CompletableFuture<Capacity.Grant> room = capacity.room(context.getInfo().getTaskToken());
        if (room == null) {
            throw new IllegalStateException("step " + step + " arrived without its slot being marked used");
        }
        if (room.isDone()) {
            return;
        }
        waiting.accept("waiting for room on worker " + workerName + ": " + capacity.inUse());
        while (true) {
            try {
                room.get(500, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                context.heartbeat(restored);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure("interrupted while waiting for room", StepFailures.WORKER_SHUTDOWN);
            } catch (ExecutionException | CancellationException e) {
                throw new IllegalStateException("the room of step " + step + " was given up", e);
            }
        }
    }

    /** The step's memory (its slots and GPUs are already its own). */
    private void awaitMemory(
            long memoryBytes, ActivityExecutionContext context, ArtifactRef restored, Consumer<String> waiting) {
        byte[] token = context.getInfo().getTaskToken();
        Retry retry = Retry.forever(Duration.ofMillis(500));
        boolean said = false;
        while (!capacity.tryTakeMemory(token, memoryBytes)) {
            if (!said) {
                waiting.accept("waiting for memory on worker " + workerName + ": it needs " + Capacity.gib(memoryBytes)
                        + ", " + capacity.memoryFree());
                said = true;
            }
            context.heartbeat(restored);
            try {
                retry.pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure(
                        "interrupted while waiting for memory", StepFailures.WORKER_SHUTDOWN);
            }
        }
    }
}
