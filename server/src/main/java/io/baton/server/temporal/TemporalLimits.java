package io.baton.server.temporal;

import io.baton.pipeline.Matrix;
import io.baton.pipeline.PipelineSpec;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.workflows.Payloads;
import io.baton.workflows.RunPlan;
import io.baton.workflows.StepPlan;
import io.baton.workflows.StepRequest;
import io.temporal.api.common.v1.Payload;
import java.util.List;
import java.util.Locale;

/** What Temporal would refuse (payload, pending activities, history), refused at submission instead. */
public final class TemporalLimits {
    /** Temporal's default {@code limit.blobSize.error}: the largest payload a workflow or activity may be given. */
    static final long TEMPORAL_BLOB_BYTES = 2L << 20;
    /** Room for what a payload codec adds (nonce, tag, metadata) and for the other fields of a request. */
    static final long CODEC_MARGIN_BYTES = 64L << 10;

    public static final long MAX_PAYLOAD_BYTES = TEMPORAL_BLOB_BYTES - CODEC_MARGIN_BYTES;
    /** Of Temporal's 50 MiB history ({@code limit.historySize.error}): the rest is for results, markers, heartbeats. */
    public static final long MAX_RUN_BYTES = 32L << 20;
    /** Below Temporal's 2,000 pending activities per workflow and its 51,200 history events (a step makes ~7). */
    public static final int MAX_STEPS = 1000;

    private TemporalLimits() {}

    /** The step count, before a plan is made for (and of) them all. */
    public static void checkSteps(PipelineSpec spec) {
        long steps = spec.steps().stream()
                .mapToLong(s -> s.matrix() == null || s.matrix().isEmpty() ? 1 : Matrix.size(s.matrix()))
                .sum();
        checkSteps(steps);
    }

    private static void checkSteps(long steps) {
        if (steps > MAX_STEPS) {
            throw tooLarge("this run has " + steps + " steps (matrix combinations included); a run may have at most "
                    + MAX_STEPS
                    + ", as Temporal limits a workflow's pending activities and history. Split the pipeline or"
                    + " make its matrix smaller");
        }
    }

    /** @throws BatonException 400 {@code run_too_large}, naming the limit, when Temporal would refuse the run */
    public static void check(RunPlan plan) {
        checkSteps(plan.steps().size());
        long planBytes = size(plan);
        if (planBytes > MAX_PAYLOAD_BYTES) {
            throw tooLarge("this run's plan is " + bytes(planBytes) + " once encoded for Temporal; the limit is "
                    + bytes(MAX_PAYLOAD_BYTES) + " (Temporal refuses payloads over " + bytes(TEMPORAL_BLOB_BYTES)
                    + "). Make"
                    + " its matrix, parameters, env or dataset inputs smaller");
        }
        long total = planBytes;
        for (StepPlan step : plan.steps()) {
            long stepBytes = size(request(plan, step)) + size(step.inputs());
            if (stepBytes > MAX_PAYLOAD_BYTES) {
                throw tooLarge(
                        "step '" + step.name() + "' would be sent to its worker as " + bytes(stepBytes) + "; the limit"
                                + " is " + bytes(MAX_PAYLOAD_BYTES) + " (Temporal refuses payloads over "
                                + bytes(TEMPORAL_BLOB_BYTES)
                                + "). Make its command, env, the run's parameters or its dataset inputs smaller");
            }
            total += stepBytes;
        }
        if (total > MAX_RUN_BYTES) {
            throw tooLarge("this run's steps would be sent to workers as " + bytes(total) + " in all; the limit is "
                    + bytes(MAX_RUN_BYTES)
                    + " (Temporal ends a workflow whose history passes 50 MiB). Make its parameters"
                    + " or matrix smaller");
        }
    }

    /**
     * The request a step's activity is given, as {@code PipelineWorkflowImpl} makes it, without its staged inputs
     * (known only once the steps before it have run; they are sized from the step's planned inputs).
     */
    private static StepRequest request(RunPlan plan, StepPlan step) {
        return new StepRequest(
                plan.runId(),
                step.name(),
                new StepRequest.Command(plan.bundle(), step.command(), step.env(), plan.parameters(), step.image()),
                new StepRequest.Limits(step.timeoutMs(), step.retries(), step.memoryBytes()),
                List.of(),
                step.outputs(),
                step.register() == null);
    }

    static long size(Object value) {
        return Payloads.converter()
                .toPayload(value)
                .map(Payload::getSerializedSize)
                .orElse(0);
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes", n);
    }

    private static BatonException tooLarge(String message) {
        return new BatonException(400, ErrorCodes.RUN_TOO_LARGE, message, List.of());
    }
}
