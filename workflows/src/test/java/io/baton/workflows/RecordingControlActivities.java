package io.baton.workflows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's metadata writes, recorded instead of written, and a cache in memory (filled by {@link #remember});
 * each call also lands in the shared {@link Events}.
 */
final class RecordingControlActivities implements ControlActivities {
    private final Events events;
    private final List<StepOutcome> steps = new CopyOnWriteArrayList<>();
    private final List<RunOutcome> runs = new CopyOnWriteArrayList<>();
    private final Map<String, List<ArtifactRef>> cache = new ConcurrentHashMap<>();
    private final List<CacheQuery> cacheQueries = new CopyOnWriteArrayList<>();
    private final List<String> waiting = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> waitingLatches = new ConcurrentHashMap<>();

    RecordingControlActivities(Events events) {
        this.events = events;
    }

    /** The full cache key of a step: the part the plan knows plus the hashes of its inputs, as the server makes it. */
    static String key(String keyBase, List<String> inputHashes) {
        return keyBase + inputHashes.stream().sorted().toList();
    }

    static String key(CacheQuery query) {
        return key(
                query.keyBase(),
                query.inputs().stream().map(StagedInput::sha256).toList());
    }

    void remember(String key, List<ArtifactRef> outputs) {
        cache.put(key, outputs);
    }

    @Override
    public RecordedStep stepFinished(StepOutcome outcome) {
        if (stepFinishedFailures.getAndDecrement() > 0) {
            events.add("stepFinished failed " + outcome.step());
            throw new IllegalStateException("the database is away (a test's failure)");
        }
        steps.add(outcome);
        events.add("stepFinished " + outcome.step() + " " + outcome.status());
        return alreadyEnded.getOrDefault(outcome.step(), new RecordedStep(outcome.status(), outcome.outputs()));
    }

    /** The server's answer for a step whose end an attempt's report had already recorded. */
    void alreadyEnded(String step, RecordedStep recorded) {
        alreadyEnded.put(step, recorded);
    }

    private final Map<String, RecordedStep> alreadyEnded = new ConcurrentHashMap<>();

    /** The next {@code times} step ends fail, as a write to a database that is away would. */
    void failStepFinished(int times) {
        stepFinishedFailures.set(times);
    }

    private final AtomicInteger stepFinishedFailures = new AtomicInteger();

    @Override
    public void runFinished(RunOutcome outcome) {
        runs.add(outcome);
        events.add("runFinished " + outcome.status());
    }

    @Override
    public CacheResult findCached(CacheQuery query) {
        cacheQueries.add(query);
        String key = key(query);
        events.add("findCached " + query.step());
        List<ArtifactRef> outputs = cache.get(key);
        return new CacheResult(key, outputs, outputs == null ? null : "earlier-run");
    }

    @Override
    public void stepWaiting(String runId, String step, String reason) {
        waiting.add(step);
        events.add("stepWaiting " + step);
        latch(step).countDown();
    }

    /** Blocks until the workflow has recorded the step WAITING; false when it has not within the timeout. */
    boolean awaitWaiting(String step, Duration timeout) throws InterruptedException {
        return latch(step).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CountDownLatch latch(String step) {
        return waitingLatches.computeIfAbsent(step, s -> new CountDownLatch(1));
    }

    @Override
    public boolean planRecorded(String workflowId, RunPlan plan) {
        events.add("planRecorded " + plan.runId());
        return !unrecordedPlans.contains(plan.runId())
                && PipelineWorkflow.workflowId(plan.runId()).equals(workflowId);
    }

    /** The server will answer that this run's plan is not its record (as for a workflow someone else started). */
    void planNotRecorded(String runId) {
        unrecordedPlans.add(runId);
    }

    private final List<String> unrecordedPlans = new CopyOnWriteArrayList<>();
    private final Map<String, ApprovalDecision> decisions = new ConcurrentHashMap<>();

    /** What the approve and reject routes write before they signal the run. */
    void recordDecision(ApprovalDecision decision) {
        decisions.put(decision.step(), decision);
    }

    @Override
    public ApprovalDecision approvalRecorded(String runId, String step) {
        events.add("approvalRecorded " + step);
        return decisions.get(step);
    }

    List<String> waiting() {
        return List.copyOf(waiting);
    }

    List<CacheQuery> cacheQueries() {
        return List.copyOf(cacheQueries);
    }

    List<StepOutcome> steps() {
        return List.copyOf(steps);
    }

    StepOutcome step(String name) {
        List<StepOutcome> found =
                steps.stream().filter(s -> s.step().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one stepFinished for " + name + ", got " + found);
        }
        return found.get(0);
    }

    List<RunOutcome> runs() {
        return List.copyOf(runs);
    }
}
