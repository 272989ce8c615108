package io.baton.workflows;

import io.baton.pipeline.Outputs;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs a plan's steps as a DAG: a step starts once all it needs succeeded, a failure skips its dependents, a cancel
 * waits for the steps' processes to end (docs/architecture.md, "How a run goes").
 */
public final class PipelineWorkflowImpl implements PipelineWorkflow {
    /** Attempts lost with their worker (heartbeat timeout) are retried this many times on top of the step's retries. */
    public static final int LOST_ATTEMPT_RETRIES = 3;
    /** Backstop beyond the step's own timeout, which the worker enforces itself and reports as TIMED_OUT. */
    static final Duration TIMEOUT_GRACE = Duration.ofMinutes(1);

    static final String PLAN_NOT_RECORDED = "PlanNotRecorded";
    /**
     * Version 1: the record is the truth. The plan is checked against the run's record before anything runs, and an
     * approval is read from the record (a signal only wakes the workflow).
     */
    static final String RECORD_IS_TRUTH = "record-is-truth";

    private static final Logger log = Workflow.getLogger(PipelineWorkflowImpl.class);

    private final ControlActivities control = Workflow.newLocalActivityStub(
            ControlActivities.class,
            // The database may be down for a while: keep trying, a run must not be lost to a restart of it.
            RecordWrites.options());

    private final Map<String, StepStatus> statuses = new LinkedHashMap<>();
    private final Map<String, List<ArtifactRef>> outputs = new HashMap<>();
    private final Map<String, String> cacheKeys = new HashMap<>();
    private final Map<String, ApprovalDecision> decisions = new HashMap<>();
    private final Map<String, List<StagedInput>> stagedInputs = new HashMap<>();
    private final Map<String, Integer> wakeUps = new HashMap<>();
    private boolean recordIsTruth;

    @Override
    public RunStatus run(RunPlan plan) {
        recordIsTruth = Workflow.getVersion(RECORD_IS_TRUTH, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (recordIsTruth && !control.planRecorded(Workflow.getInfo().getWorkflowId(), plan)) {
            // started by someone other than the server (or replayed onto a run that ended): run nothing, write nothing
            log.warn(
                    "workflow {} was given a plan that is not run {}'s record; it runs nothing",
                    Workflow.getInfo().getWorkflowId(),
                    plan.runId());
            throw ApplicationFailure.newNonRetryableFailure(
                    "the plan is not the one recorded for run " + plan.runId() + "; nothing runs", PLAN_NOT_RECORDED);
        }
        for (StepPlan step : plan.steps()) {
            List<ArtifactRef> reused = plan.reused().get(step.name());
            statuses.put(step.name(), reused == null ? StepStatus.PENDING : StepStatus.REUSED);
            if (reused != null) {
                outputs.put(step.name(), reused);
            }
        }
        Map<String, Promise<StepResult>> running = new LinkedHashMap<>();
        while (true) {
            boolean cancelled = CancellationScope.current().isCancelRequested();
            if (!cancelled) {
                // a step settled without running (a cache hit, a missing input) may make others ready or unreachable
                do {
                    skipUnreachable(plan);
                } while (startReady(plan, running));
            }
            if (running.isEmpty()) {
                break;
            }
            List<Promise<?>> waitFor = new ArrayList<>(running.values());
            if (!cancelled) {
                waitFor.add(CancellationScope.current().getCancellationRequest());
            }
            try {
                Promise.anyOf(waitFor.toArray(new Promise<?>[0])).get();
            } catch (TemporalFailure failure) {
                // a step failed or was cancelled: collectFinished reads each promise's own outcome
            }
            collectFinished(plan, running);
        }
        return finish(plan);
    }

    @Override
    public void decide(ApprovalDecision decision) {
        if (recordIsTruth) {
            wakeUps.merge(decision.step(), 1, Integer::sum);
        } else {
            decisions.putIfAbsent(decision.step(), decision);
        }
    }

    /** Starts every step that is ready; true when one of them settled without running (so look again). */
    private boolean startReady(RunPlan plan, Map<String, Promise<StepResult>> running) {
        boolean settled = false;
        for (StepPlan step : plan.steps()) {
            if (statuses.get(step.name()) != StepStatus.PENDING
                    || !step.needs().stream().allMatch(n -> statuses.get(n).succeeded())) {
                continue;
            }
            List<StagedInput> inputs;
            try {
                inputs = stage(step);
            } catch (IllegalStateException missing) {
                record(new StepOutcome(plan.runId(), step.name(), StepStatus.FAILED, null, missing.getMessage()));
                settled = true;
                continue;
            }
            stagedInputs.put(step.name(), inputs);
            if (step.cache()) {
                CacheResult cached =
                        control.findCached(new CacheQuery(plan.runId(), step.name(), step.cacheKeyBase(), inputs));
                cacheKeys.put(step.name(), cached.key());
                if (cached.hit()) {
                    statuses.put(step.name(), StepStatus.CACHED);
                    outputs.put(step.name(), cached.outputs());
                    settled = true;
                    continue;
                }
            }
            StepActivities activities = Workflow.newActivityStub(StepActivities.class, activityOptions(plan, step));
            StepRequest request = new StepRequest(
                    plan.runId(),
                    step.name(),
                    new StepRequest.Command(plan.bundle(), step.command(), step.env(), plan.parameters(), step.image()),
                    new StepRequest.Limits(step.timeoutMs(), step.retries(), step.memoryBytes()),
                    inputs,
                    step.outputs(),
                    step.register() == null);
            if (step.approval()) {
                statuses.put(step.name(), StepStatus.WAITING);
                control.stepWaiting(
                        plan.runId(),
                        step.name(),
                        "waiting for approval: POST .../steps/" + step.name() + "/approve or /reject");
                // A workflow thread of the run's scope, not a callback of the signal: the step's activity must be
                // cancelled with the run, and the wait for the decision too.
                running.put(step.name(), Async.function(() -> runOnceApproved(step.name(), activities, request)));
            } else {
                statuses.put(step.name(), StepStatus.RUNNING);
                running.put(step.name(), Async.function(activities::runStep, request));
            }
        }
        return settled;
    }

    private StepResult runOnceApproved(String step, StepActivities activities, StepRequest request) {
        ApprovalDecision decision = recordIsTruth ? awaitRecordedDecision(request.runId(), step) : awaitSignal(step);
        if (!decision.approved()) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "rejected by " + decision.user()
                            + (decision.note() == null || decision.note().isBlank() ? "" : ": " + decision.note()),
                    StepFailures.REJECTED);
        }
        statuses.put(step, StepStatus.RUNNING);
        return activities.runStep(request);
    }

    private ApprovalDecision awaitSignal(String step) {
        Workflow.await(() -> decisions.containsKey(step));
        return decisions.get(step);
    }

    /** Each signal for the step reads its record again: a signal that no recorded decision stands behind changes nothing. */
    private ApprovalDecision awaitRecordedDecision(String runId, String step) {
        int seen = 0;
        while (true) {
            int after = seen;
            Workflow.await(() -> wakeUps.getOrDefault(step, 0) > after);
            seen = wakeUps.get(step);
            ApprovalDecision recorded = control.approvalRecorded(runId, step);
            if (recorded != null) {
                return recorded;
            }
            log.warn(
                    "run {}: a decision signal for step {} has no recorded decision behind it; still waiting",
                    runId,
                    step);
        }
    }

    /** The files a step reads, from the outputs of the steps it needs (or blobs named in the plan). */
    private List<StagedInput> stage(StepPlan step) {
        List<StagedInput> staged = new ArrayList<>();
        for (InputPlan input : step.inputs()) {
            if (!input.fromSteps()) {
                input.knownFiles()
                        .forEach(file -> staged.add(new StagedInput(
                                input.name(), null, file.path(), file.sha256(), file.size(), input.knownSource())));
                continue;
            }
            for (String producer : input.producers()) {
                List<ArtifactRef> selected = outputs.getOrDefault(producer, List.of()).stream()
                        .filter(out -> Outputs.selects(input.path(), out.path()))
                        .toList();
                if (selected.isEmpty()) {
                    throw new IllegalStateException("input '" + input.name() + "': step '" + producer
                            + "' has no output matching '" + input.path() + "'");
                }
                selected.forEach(out -> staged.add(new StagedInput(
                        input.name(),
                        input.perProducer() ? producer : null,
                        out.path(),
                        out.sha256(),
                        out.size(),
                        "step:" + producer)));
            }
        }
        return staged;
    }

    /** A step whose needs can no longer all succeed will never run: record it SKIPPED now. */
    private void skipUnreachable(RunPlan plan) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (StepPlan step : plan.steps()) {
                if (statuses.get(step.name()) == StepStatus.PENDING
                        && step.needs().stream().map(statuses::get).anyMatch(s -> s.terminal() && !s.succeeded())) {
                    record(new StepOutcome(
                            plan.runId(),
                            step.name(),
                            StepStatus.SKIPPED,
                            null,
                            "skipped: a step it needs did not succeed"));
                    changed = true;
                }
            }
        }
    }

    private void collectFinished(RunPlan plan, Map<String, Promise<StepResult>> running) {
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isCompleted()) {
                continue;
            }
            it.remove();
            String step = entry.getKey();
            RuntimeException failure = entry.getValue().getFailure();
            if (failure == null) {
                StepResult result = entry.getValue().get();
                List<ArtifactRef> produced = result.outputs();
                outputs.put(step, produced);
                if (result.stepEnded() && plan.step(step).orElseThrow().register() == null) {
                    // the attempt's report recorded the step's end with its outputs and inputs: no write of ours (never
                    // for a
                    // step that registers a model, whatever a worker says: the registration is the workflow's write)
                    statuses.put(step, StepStatus.SUCCEEDED);
                    continue;
                }
                record(new StepOutcome(
                                plan.runId(),
                                step,
                                StepStatus.SUCCEEDED,
                                0,
                                null,
                                produced,
                                cacheKeys.get(step),
                                stagedInputs.get(step))
                        .withRegister(plan.step(step).orElseThrow().register()));
            } else {
                record(outcomeOf(plan.runId(), step, failure).withInputs(stagedInputs.get(step)));
            }
        }
    }

    private RunStatus finish(RunPlan plan) {
        boolean cancelled = CancellationScope.current().isCancelRequested();
        for (StepPlan step : plan.steps()) {
            if (!statuses.get(step.name()).terminal()) {
                record(new StepOutcome(
                        plan.runId(), step.name(), cancelled ? StepStatus.CANCELLED : StepStatus.SKIPPED, null, null));
            }
        }
        RunStatus result;
        String message = null;
        if (cancelled) {
            result = RunStatus.CANCELLED;
        } else if (statuses.values().stream().anyMatch(s -> s == StepStatus.FAILED || s == StepStatus.CANCELLED)) {
            result = RunStatus.FAILED;
            message = "failed steps: "
                    + String.join(
                            ", ",
                            statuses.entrySet().stream()
                                    .filter(e -> e.getValue() == StepStatus.FAILED)
                                    .map(Map.Entry::getKey)
                                    .toList());
        } else {
            result = RunStatus.SUCCEEDED;
        }
        RunOutcome outcome = new RunOutcome(plan.runId(), result, message);
        Workflow.newDetachedCancellationScope(() -> control.runFinished(outcome))
                .run();
        log.info("run {} finished {}", plan.runId(), result);
        return result;
    }

    /**
     * Writes a step's end, also after the run was cancelled (a detached scope is not cancelled with the run). A step
     * the server says had already SUCCEEDED (an attempt's report ended it, and its success never reached Temporal)
     * succeeded: its outputs are handed on.
     */
    private void record(StepOutcome outcome) {
        statuses.put(outcome.step(), outcome.status());
        RecordedStep[] recorded = {null};
        Workflow.newDetachedCancellationScope(() -> recorded[0] = control.stepFinished(outcome))
                .run();
        if (recorded[0] != null
                && recorded[0].status() == StepStatus.SUCCEEDED
                && outcome.status() != StepStatus.SUCCEEDED) {
            log.info("step {} had already succeeded: its attempt's report ended it", outcome.step());
            statuses.put(outcome.step(), StepStatus.SUCCEEDED);
            outputs.put(outcome.step(), recorded[0].outputs());
        }
    }

    static StepOutcome outcomeOf(String runId, String step, RuntimeException failure) {
        Throwable cause = failure instanceof ActivityFailure ? failure.getCause() : failure;
        if (cause instanceof CanceledFailure) {
            return new StepOutcome(runId, step, StepStatus.CANCELLED, null, "cancelled");
        }
        if (cause instanceof ApplicationFailure app) {
            Integer exitCode = StepFailures.EXIT_CODE.equals(app.getType())
                            && app.getDetails().getSize() > 0
                    ? app.getDetails().get(Integer.class)
                    : null;
            return new StepOutcome(runId, step, StepStatus.FAILED, exitCode, app.getOriginalMessage());
        }
        if (cause instanceof TimeoutFailure timeout) {
            return new StepOutcome(
                    runId,
                    step,
                    StepStatus.FAILED,
                    null,
                    timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT
                            ? "its worker stopped heartbeating and the step's attempts are spent"
                            : "timed out ("
                                    + timeout.getTimeoutType()
                                            .name()
                                            .replace("TIMEOUT_TYPE_", "")
                                            .toLowerCase() + ")");
        }
        return new StepOutcome(
                runId, step, StepStatus.FAILED, null, cause == null ? failure.getMessage() : cause.getMessage());
    }

    static ActivityOptions activityOptions(RunPlan plan, StepPlan step) {
        RetryOptions retry = RetryOptions.newBuilder()
                // The worker makes a command failure non-retryable once the step's own retries are spent, so what is
                // left
                // of this budget is for attempts lost with their worker.
                .setMaximumAttempts(step.retries() + 1 + LOST_ATTEMPT_RETRIES)
                .setInitialInterval(Duration.ofMillis(step.backoffMs()))
                .setMaximumInterval(Duration.ofMillis(Math.max(step.backoffMs(), step.maxBackoffMs())))
                .setBackoffCoefficient(2)
                .setDoNotRetry(StepFailures.INVALID)
                .build();
        return ActivityOptions.newBuilder()
                .setTaskQueue(step.taskQueue())
                .setStartToCloseTimeout(Duration.ofMillis(step.timeoutMs()).plus(TIMEOUT_GRACE))
                .setHeartbeatTimeout(Duration.ofMillis(step.heartbeatTimeoutMs()))
                .setRetryOptions(retry)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setPriority(FairTurns.priority(plan))
                .build();
    }
}
