package io.baton.workflows;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A pool worker without processes: each step does what the test told it to (succeeds by default) and returns the
 * outputs it was given; every attempt's start and end land in the shared {@link Events}, its request is kept.
 */
final class FakeStepActivities implements StepActivities {
    /** What one attempt of a step does; return normally to succeed. */
    @FunctionalInterface
    interface Behaviour {
        void run(StepRequest request, int attempt) throws Exception;
    }

    private final Events events;
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, List<ArtifactRef>> outputs = new ConcurrentHashMap<>();
    private final List<StepRequest> requests = new CopyOnWriteArrayList<>();
    private volatile boolean endingSteps;
    private volatile boolean claimingEnds;

    FakeStepActivities(Events events) {
        this.events = events;
    }

    FakeStepActivities when(String step, Behaviour behaviour) {
        behaviours.put(step, behaviour);
        return this;
    }

    /**
     * Successful attempts record their step's end when the request asks for it, as today's workers do; by default
     * they do not, as workers from before {@link StepRequest#endsStep()}.
     */
    FakeStepActivities endingSteps() {
        endingSteps = true;
        return this;
    }

    /** Successful attempts say they ended their step, asked or not (a worker that cannot be trusted to). */
    FakeStepActivities claimingEnds() {
        claimingEnds = true;
        return this;
    }

    /** What a successful attempt of the step reports it wrote. */
    FakeStepActivities produces(String step, ArtifactRef... files) {
        outputs.put(step, List.of(files));
        return this;
    }

    @Override
    public StepResult runStep(StepRequest request) {
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        requests.add(request);
        events.add("start " + request.step() + " #" + attempt);
        try {
            behaviours.getOrDefault(request.step(), (r, a) -> {}).run(request, attempt);
        } catch (RuntimeException e) {
            events.add("fail " + request.step() + " #" + attempt);
            throw e;
        } catch (Exception e) {
            throw Activity.wrap(e);
        }
        events.add("end " + request.step() + " #" + attempt);
        boolean ended = claimingEnds || endingSteps && request.endsStep();
        if (ended) {
            events.add("attempt ended " + request.step());
        }
        return new StepResult(attempt, 0, outputs.getOrDefault(request.step(), List.of()), ended);
    }

    /**
     * What a real worker does while its process runs: heartbeat, learn of a cancellation from the heartbeat, end the
     * process and only then report the attempt cancelled.
     */
    Behaviour heartbeatUntilCancelled(CountDownLatch running) {
        return (request, attempt) -> {
            ActivityExecutionContext context = Activity.getExecutionContext();
            running.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    context.heartbeat(null);
                } catch (ActivityCompletionException e) {
                    events.add(request.step() + " saw its cancellation");
                    throw e;
                }
                Thread.sleep(50);
            }
            throw ApplicationFailure.newNonRetryableFailure(request.step() + " was never cancelled", "Test");
        };
    }

    /** The attempts that ran, as "step #attempt", in the order they started. */
    List<String> attempts() {
        return events.all().stream()
                .filter(e -> e.startsWith("start "))
                .map(e -> e.substring(6))
                .toList();
    }

    /** The request of the step's only attempt; fails unless it ran exactly once. */
    StepRequest request(String step) {
        List<StepRequest> found =
                requests.stream().filter(r -> r.step().equals(step)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one attempt of " + step + ", got " + found.size() + " in " + attempts());
        }
        return found.get(0);
    }
}
