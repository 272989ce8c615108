package io.baton.worker;

import io.baton.bundle.BundleException;
import io.baton.common.Daemons;
import io.baton.common.Retry;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.RunningStep;
import io.baton.worker.artifacts.Artifacts;
import io.baton.worker.artifacts.Checkpoints;
import io.baton.worker.artifacts.DeclaredOutputs;
import io.baton.worker.artifacts.WorkspaceStaging;
import io.baton.worker.client.AttemptReporter;
import io.baton.worker.client.AttemptReports;
import io.baton.worker.client.ServerClient;
import io.baton.worker.facts.AttemptFacts;
import io.baton.worker.hardware.Capacity;
import io.baton.worker.hardware.StepAdmission;
import io.baton.worker.logs.LogShipper;
import io.baton.worker.logs.SecretMask;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepSandbox;
import io.baton.worker.process.StepSupervisor;
import io.baton.worker.process.StepSupervisor.Outcome;
import io.baton.worker.process.StepVariables;
import io.baton.worker.python.PythonOutput;
import io.baton.worker.python.PythonPackage;
import io.baton.worker.workspace.Workspace;
import io.baton.worker.workspace.WorkspaceCleaner;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StepActivities;
import io.baton.workflows.StepFailures;
import io.baton.workflows.StepRequest;
import io.baton.workflows.StepResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt of a step, in order: waits for its room, reports its start, stages its workspace, runs its command
 * while shipping its output, collects its outputs and reports how it ended (docs/architecture.md, "The worker").
 */
public final class StepActivitiesImpl implements StepActivities {
    private static final Logger log = LoggerFactory.getLogger(StepActivitiesImpl.class);

    private final WorkerConfig config;
    private final ServerClient server;
    private final AttemptReporter reporter;
    private final Artifacts artifacts;
    private final Map<RunningStep, Boolean> running = new ConcurrentHashMap<>();

    /**
     * A step held back by a full quota asks again after the first pause, then less often, up to the last: each ask
     * costs the server a read of the run's workflow in Temporal, and steps that wait for a quota are long ones.
     */
    private static final Duration QUOTA_RECHECK_FIRST = Duration.ofMillis(250);

    private static final Duration QUOTA_RECHECK_MAX = Duration.ofSeconds(2);

    private final Capacity capacity;
    private final StepAdmission admission;
    private final AttemptFacts facts;
    private final PythonOutput pythonOutput;
    private final PythonPackage pythonPackage;
    private final StepSandbox sandbox;
    private final StepVariables variables;
    private final StepSupervisor supervisor;
    private final WorkspaceStaging staging;
    private final WorkspaceCleaner cleaner = new WorkspaceCleaner();

    StepActivitiesImpl(
            WorkerConfig config,
            ServerClient server,
            AttemptReports reports,
            PidRegistry pids,
            Capacity capacity,
            AttemptFacts facts,
            StepSandbox sandbox)
            throws IOException {
        this.config = config;
        this.server = server;
        this.reporter = new AttemptReporter(reports, config.name());
        this.capacity = capacity;
        this.admission = new StepAdmission(capacity, config.name());
        this.facts = facts;
        this.sandbox = sandbox;
        this.artifacts = new Artifacts(server, config.workPath());
        this.staging = new WorkspaceStaging(artifacts);
        this.pythonOutput = PythonOutput.install(config.workPath());
        this.pythonPackage = PythonPackage.install(config.workPath());
        this.variables = new StepVariables(
                pythonOutput, pythonPackage, sandbox, config.server(), config.pathPrepend(), config.passEnv());
        this.supervisor = new StepSupervisor(
                pids,
                sandbox,
                variables,
                new StepSupervisor.Containers(
                        config.containerRuntime(), config.containerNetwork(), config.containerUser()),
                Duration.ofSeconds(config.killGraceSeconds()));
    }

    /** The worker's blob store and cache, which its replicas stage their models from too. */
    Artifacts artifacts() {
        return artifacts;
    }

    /** Work done once, in the background, so that the first attempts do not wait for it. */
    void warmUp() {
        Map<String, String> process = variables.process(Map.of());
        facts.warmUp(process);
        Daemons.named("python-compile")
                .newThread(() -> pythonOutput.compile(process))
                .start();
    }

    /** The attempts running now, for the worker's heartbeat. */
    public List<RunningStep> running() {
        return List.copyOf(running.keySet());
    }

    @Override
    public StepResult runStep(StepRequest request) {
        // A step that reached this worker runs here, also while it drains: handing it back would cost it an attempt.
        ActivityExecutionContext context = Activity.getExecutionContext();
        // read before any heartbeat of this attempt replaces them: the last checkpoint of an earlier attempt
        ArtifactRef restored = context.getHeartbeatDetails(ArtifactRef.class).orElse(null);
        int attempt = context.getInfo().getAttempt();
        admission.await(
                request.step(),
                request.limits().memoryBytes(),
                context,
                restored,
                reason -> reporter.waiting(request.runId(), request.step(), attempt, reason));
        RunningStep key = new RunningStep(request.runId(), request.step(), attempt);
        MDC.put("run", request.runId());
        MDC.put("step", request.step());
        MDC.put("attempt", Integer.toString(attempt));
        running.put(key, true);
        try {
            byte[] token = context.getInfo().getTaskToken();
            Workspace workspace = Workspace.of(config.workPath(), request.runId(), request.step(), attempt);
            Map<String, String> given = variables.given(
                    request,
                    workspace,
                    attempt,
                    runsInImage(request),
                    capacity.totalGpus() > 0 ? capacity.gpusOf(token) : null);
            Map<String, String> env = variables.process(given);
            AttemptStart start = new AttemptStart(
                    attempt,
                    config.name(),
                    facts.environment(request.command().image(), given, env, runsInImage(request)),
                    facts.hardware(capacity.gpusOf(token)));
            AttemptStarted started = whileQuotaFull(
                    request, start, reporter.started(request.runId(), request.step(), start), context, restored);
            if (started.stepSucceeded()) {
                // an earlier attempt succeeded and recorded the step's end, but Temporal never heard of it: hand on its
                // outputs rather than run the command a second time
                log.info(
                        "attempt {} of {}: the step already succeeded; its outputs are handed on",
                        attempt,
                        request.step());
                return new StepResult(attempt, 0, started.outputs(), true);
            }
            if (started.token() != null) {
                // the attempt's own token, not the worker's: it writes only this attempt's output and ends with it
                env.put("BATON_TOKEN", started.token());
                env.putAll(StepVariables.mlflow(
                        env.get("BATON_SERVER"),
                        started.project(),
                        request.runId(),
                        request.step(),
                        attempt,
                        started.token()));
            }
            boolean lastTry = started.failures() >= request.limits().retries();
            // the step's secrets: variables of its process only (not of its recorded environment), masked in its output
            return execute(request, attempt, workspace, env, started.secrets(), lastTry, context, restored);
        } finally {
            running.remove(key);
            MDC.clear();
        }
    }

    /**
     * A quota of the run's user or project is full: the step keeps its room here, heartbeating, and asks again until
     * the server lets the attempt start. No attempt was recorded, so waiting costs none of the step's retries.
     */
    private AttemptStarted whileQuotaFull(
            StepRequest request,
            AttemptStart start,
            AttemptStarted started,
            ActivityExecutionContext context,
            ArtifactRef restored) {
        Retry retry = Retry.doubling(QUOTA_RECHECK_FIRST, QUOTA_RECHECK_MAX, null);
        String said = null;
        while (started.waiting() != null) {
            if (!started.waiting().equals(said)) {
                said = started.waiting();
                log.info("attempt {} of {}: {}", start.number(), request.step(), said);
            }
            context.heartbeat(restored);
            try {
                retry.pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure(
                        "interrupted while waiting for a quota", StepFailures.WORKER_SHUTDOWN);
            }
            started = reporter.started(request.runId(), request.step(), start);
        }
        return started;
    }

    /** {@code lastTry}: the step's retries are spent, so a failing command fails the step for good. */
    private StepResult execute(
            StepRequest request,
            int attempt,
            Workspace workspace,
            Map<String, String> env,
            Map<String, String> secrets,
            boolean lastTry,
            ActivityExecutionContext context,
            ArtifactRef restored) {
        try {
            staging.stage(
                    workspace,
                    request.command().bundle(),
                    request.inputs(),
                    restored,
                    request.command().parameters());
            if (!runsInImage(request)) {
                sandbox.handOver(workspace.root()); // a container's own user writes it as it always did
            } else {
                pythonPackage.copyInto(workspace);
            }
        } catch (BundleException e) {
            reporter.finished(
                    request.runId(),
                    request.step(),
                    attempt,
                    new AttemptFinish(AttemptStatus.FAILED, null, "cannot unpack the code bundle: " + e.getMessage()));
            throw ApplicationFailure.newNonRetryableFailure(
                    "cannot unpack the code bundle: " + e.getMessage(), StepFailures.INVALID);
        } catch (IOException e) {
            reporter.finished(
                    request.runId(),
                    request.step(),
                    attempt,
                    new AttemptFinish(AttemptStatus.FAILED, null, "cannot prepare the workspace: " + e.getMessage()));
            throw ApplicationFailure.newFailure(
                    "cannot prepare the workspace: " + e.getMessage(), StepFailures.WORKSPACE);
        }
        Outcome outcome;
        List<ArtifactRef> produced = List.of();
        try (LogShipper logs = new LogShipper(
                batch -> reporter.appendLogs(request.runId(), request.step(), attempt, batch),
                1000,
                SecretMask.of(secrets.values()))) {
            outcome = runCommand(request, attempt, workspace, env, secrets, logs, context, restored);
            try {
                logs.flush();
            } catch (IOException e) {
                // the output could not all be delivered; the command's own result stands
                log.warn("attempt {} of {}: logs not delivered: {}", attempt, request.step(), e.getMessage());
            }
            if (outcome.status() == AttemptStatus.SUCCEEDED || outcome.status() == AttemptStatus.FAILED) {
                produced = artifacts.collect(workspace.outputs());
                String missing = DeclaredOutputs.missing(request.outputs(), produced);
                if (missing != null && outcome.status() == AttemptStatus.SUCCEEDED) {
                    outcome = new Outcome(AttemptStatus.FAILED, 0, missing);
                }
            }
        } catch (IOException e) {
            log.warn("attempt {} of {}: {}", attempt, request.step(), e.getMessage());
            outcome = new Outcome(AttemptStatus.FAILED, null, "cannot run the command: " + e.getMessage());
        } finally {
            if (!config.keepWorkspaces()) {
                cleaner.deleteLater(workspace);
            }
        }
        boolean endsStep = request.endsStep()
                && outcome.status() == AttemptStatus.SUCCEEDED
                && reporter.finishedEndingStep(request.runId(), request.step(), attempt, produced, request.inputs());
        if (!endsStep) {
            reporter.finished(
                    request.runId(),
                    request.step(),
                    attempt,
                    new AttemptFinish(outcome.status(), outcome.exitCode(), outcome.message(), produced));
        }
        return switch (outcome.status()) {
            case SUCCEEDED -> new StepResult(attempt, 0, produced, endsStep);
            case CANCELLED -> throw outcome.cancellation();
            case TIMED_OUT -> throw failure(lastTry, outcome.message(), StepFailures.TIMED_OUT);
            default ->
                throw outcome.exitCode() == null
                        ? failure(lastTry, outcome.message(), StepFailures.ERROR)
                        : failure(lastTry, outcome.message(), StepFailures.EXIT_CODE, outcome.exitCode());
        };
    }

    private Outcome runCommand(
            StepRequest request,
            int attempt,
            Workspace workspace,
            Map<String, String> env,
            Map<String, String> secrets,
            LogShipper logs,
            ActivityExecutionContext context,
            ArtifactRef restored)
            throws IOException {
        try (Checkpoints checkpoints =
                new Checkpoints(workspace.checkpoint(), server, config.checkpointSeconds() * 1000L, restored)) {
            return supervisor.run(
                    request,
                    attempt,
                    workspace,
                    env,
                    secrets,
                    runsInImage(request),
                    capacity.gpusOf(context.getInfo().getTaskToken()),
                    logs.stdout(),
                    logs.stderr(),
                    () -> {
                        checkpoints.maybeUpload();
                        context.heartbeat(checkpoints.latest());
                    });
        }
    }

    private static ApplicationFailure failure(boolean lastTry, String message, String type, Object... details) {
        return lastTry
                ? ApplicationFailure.newNonRetryableFailure(message, type, details)
                : ApplicationFailure.newFailure(message, type, details);
    }

    /** Waits (bounded) for the workspaces of finished attempts to be deleted. */
    void close() {
        reporter.close();
        cleaner.close();
    }

    private boolean runsInImage(StepRequest request) {
        String image = request.command().image();
        return config.runner().equals("container") && image != null && !image.isBlank();
    }
}
