package io.baton.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.bundle.BundleException;
import io.baton.bundle.BundleLimits;
import io.baton.bundle.Bundles;
import io.baton.common.Daemons;
import io.baton.pipeline.Parameters;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.RunningStep;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StepActivities;
import io.baton.workflows.StepFailures;
import io.baton.workflows.StepRequest;
import io.baton.workflows.StepResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one attempt of a step: reports it to the server, stages a fresh workspace with the code bundle, runs the
 * command as a child process while heartbeating, streams its output, and reports how it ended. Cancellation and
 * timeouts end the whole process tree before the activity returns.
 */
public final class StepActivitiesImpl implements StepActivities {
    private static final Logger log = LoggerFactory.getLogger(StepActivitiesImpl.class);
    /** Worker settings a step must not see: the token is a secret, the rest means nothing to a step. */
    private static final Set<String> HIDDEN_ENV = Set.of(
            "BATON_TOKEN",
            "BATON_SERVER",
            "BATON_TEMPORAL",
            "BATON_POOLS",
            "BATON_WORKER_NAME",
            "BATON_SLOTS",
            "BATON_WORK_DIR",
            "BATON_ADMIN_TOKEN",
            "BATON_LAUNCHER",
            "BATON_PAYLOAD_KEY",
            "BATON_PAYLOAD_KEY_FILE");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerConfig config;
    private final ServerClient server;
    private final AttemptReports reports;
    private final PidRegistry pids;
    private final Artifacts artifacts;
    private final Map<RunningStep, Boolean> running = new ConcurrentHashMap<>();

    private final Capacity capacity;
    private final AttemptFacts facts;
    private final PythonOutput pythonOutput;
    private final StepSandbox sandbox;
    /**
     * Deletes finished workspaces off the step's path: the next step need not wait for a folder's removal. At most 64
     * wait; beyond that the attempt deletes its own, so that deletion keeps pace with the steps (and the disk).
     */
    private final ExecutorService cleaner = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64),
            Daemons.named("workspace-cleaner"),
            new ThreadPoolExecutor.CallerRunsPolicy());

    /** Sends the reasons of waiting steps; one at a time is enough (a step waits rarely, and says so once). */
    private final ExecutorService waitingReports = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64),
            Daemons.named("waiting-reports"),
            new ThreadPoolExecutor.DiscardPolicy());

    StepActivitiesImpl(
            WorkerConfig config,
            ServerClient server,
            AttemptReports reports,
            PidRegistry pids,
            Capacity capacity,
            AttemptFacts facts,
            StepSandbox sandbox)
            throws IOException {
        this.sandbox = sandbox;
        this.reports = reports;
        this.capacity = capacity;
        this.facts = facts;
        this.config = config;
        this.server = server;
        this.pids = pids;
        this.artifacts = new Artifacts(server, config.workPath());
        this.pythonOutput = PythonOutput.install(config.workPath());
    }

    /** Work done once, in the background, so that the first attempts do not wait for it. */
    void warmUp() {
        Map<String, String> process = processEnvironment(Map.of());
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
        int attempt = request.attemptBase() + context.getInfo().getAttempt();
        awaitRoom(request, attempt, context, restored);
        awaitMemory(request, attempt, context, restored);
        RunningStep key = new RunningStep(request.runId(), request.step(), attempt);
        MDC.put("run", request.runId());
        MDC.put("step", request.step());
        MDC.put("attempt", Integer.toString(attempt));
        running.put(key, true);
        try {
            Workspace workspace = Workspace.of(config.workPath(), request.runId(), request.step(), attempt);
            Map<String, String> given = givenEnvironment(
                    request, workspace, attempt, context.getInfo().getTaskToken());
            Map<String, String> env = processEnvironment(given);
            AttemptStart start = new AttemptStart(
                    attempt,
                    config.name(),
                    facts.environment(request.image(), given, env, runsInImage(request)),
                    facts.hardware(capacity.gpusOf(context.getInfo().getTaskToken())));
            AttemptStarted started = report(() -> reports.attemptStarted(request.runId(), request.step(), start));
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
            }
            return execute(
                    request, attempt, workspace, env, started.failures() >= request.retries(), context, restored);
        } finally {
            running.remove(key);
            MDC.clear();
        }
    }

    /**
     * Waits, heartbeating, for the room this step's poll found free but another shape's step took meanwhile: the step
     * is this worker's now (it takes the room first when it frees), and no attempt starts before it has it.
     */
    private void awaitRoom(StepRequest request, int attempt, ActivityExecutionContext context, ArtifactRef restored) {
        CompletableFuture<Capacity.Grant> room = capacity.room(context.getInfo().getTaskToken());
        if (room == null) {
            throw new IllegalStateException("step " + request.step() + " arrived without its slot being marked used");
        }
        if (room.isDone()) {
            return;
        }
        waiting(request, attempt, "waiting for room on worker " + config.name() + ": " + capacity.inUse());
        while (true) {
            try {
                room.get(500, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                context.heartbeat(restored); // learns of a cancel while it waits; keeps the checkpoint for the next try
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure("interrupted while waiting for room", "WorkerShutdown");
            } catch (ExecutionException | CancellationException e) {
                throw new IllegalStateException("the room of step " + request.step() + " was given up", e);
            }
        }
    }

    /** Waits, heartbeating, until the step's memory is free on this worker (its slots and GPUs are already its own). */
    private void awaitMemory(StepRequest request, int attempt, ActivityExecutionContext context, ArtifactRef restored) {
        byte[] token = context.getInfo().getTaskToken();
        boolean said = false;
        while (!capacity.tryTakeMemory(token, request.memoryBytes())) {
            if (!said) {
                waiting(
                        request,
                        attempt,
                        "waiting for memory on worker " + config.name() + ": it needs "
                                + Capacity.gib(request.memoryBytes()) + ", " + capacity.memoryFree());
                said = true;
            }
            context.heartbeat(restored); // learns of a cancel while it waits; keeps the checkpoint for the next try
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure("interrupted while waiting for memory", "WorkerShutdown");
            }
        }
    }

    /**
     * Says why a step that this worker took has not started: in the log, and to the server as the step's
     * {@code reason}, off the step's thread (it keeps heartbeating); a lost report only loses the reason.
     */
    private void waiting(StepRequest request, int attempt, String reason) {
        log.info("step {}: {}", request.step(), reason);
        waitingReports.execute(() -> {
            try {
                reports.attemptWaiting(
                        request.runId(), request.step(), attempt, new AttemptWaiting(config.name(), reason));
            } catch (IOException | RuntimeException e) {
                log.warn("cannot tell the server why step {} waits: {}", request.step(), e.getMessage());
            }
        });
    }

    /** {@code lastTry}: the step's retries are spent, so a failing command fails the step for good. */
    private StepResult execute(
            StepRequest request,
            int attempt,
            Workspace workspace,
            Map<String, String> env,
            boolean lastTry,
            ActivityExecutionContext context,
            ArtifactRef restored) {
        try {
            workspace.create();
            stageBundle(request.bundle(), workspace);
            artifacts.stage(request.inputs(), workspace.inputs());
            if (restored != null) {
                Checkpoints.restore(restored, workspace.checkpoint(), artifacts);
                log.info("restored checkpoint {} of an earlier attempt", restored.sha256());
            }
            JSON.writeValue(workspace.parametersFile().toFile(), request.parameters());
            if (!runsInImage(request)) {
                sandbox.handOver(workspace.root()); // a container's own user writes it as it always did
            }
        } catch (BundleException e) {
            finish(
                    request,
                    attempt,
                    new AttemptFinish(AttemptStatus.FAILED, null, "cannot unpack the code bundle: " + e.getMessage()));
            throw ApplicationFailure.newNonRetryableFailure(
                    "cannot unpack the code bundle: " + e.getMessage(), StepFailures.INVALID);
        } catch (IOException e) {
            finish(
                    request,
                    attempt,
                    new AttemptFinish(AttemptStatus.FAILED, null, "cannot prepare the workspace: " + e.getMessage()));
            throw ApplicationFailure.newFailure("cannot prepare the workspace: " + e.getMessage(), "WorkspaceError");
        }
        Outcome outcome;
        List<ArtifactRef> produced = List.of();
        try (LogShipper logs =
                new LogShipper(batch -> reports.appendLogs(request.runId(), request.step(), attempt, batch), 1000)) {
            outcome = runProcess(request, workspace, env, logs, context, restored);
            try {
                logs.flush();
            } catch (IOException e) {
                // the output could not all be delivered; the command's own result stands
                log.warn("attempt {} of {}: logs not delivered: {}", attempt, request.step(), e.getMessage());
            }
            if (outcome.status == AttemptStatus.SUCCEEDED || outcome.status == AttemptStatus.FAILED) {
                produced = artifacts.collect(workspace.outputs());
                String missing = DeclaredOutputs.missing(request.outputs(), produced);
                if (missing != null && outcome.status == AttemptStatus.SUCCEEDED) {
                    outcome = new Outcome(AttemptStatus.FAILED, 0, missing);
                }
            }
        } catch (IOException e) {
            log.warn("attempt {} of {}: {}", attempt, request.step(), e.getMessage());
            outcome = new Outcome(AttemptStatus.FAILED, null, "cannot run the command: " + e.getMessage());
        } finally {
            if (!config.keepWorkspaces()) {
                deleteLater(workspace);
            }
        }
        boolean endsStep = request.endsStep()
                && outcome.status == AttemptStatus.SUCCEEDED
                && finishEndingStep(request, attempt, produced);
        if (!endsStep) {
            finish(request, attempt, new AttemptFinish(outcome.status, outcome.exitCode, outcome.message, produced));
        }
        return switch (outcome.status) {
            case SUCCEEDED -> new StepResult(attempt, 0, produced, endsStep);
            case CANCELLED -> throw outcome.cancellation;
            case TIMED_OUT -> throw failure(lastTry, outcome.message, StepFailures.TIMED_OUT);
            default ->
                throw outcome.exitCode == null
                        ? failure(lastTry, outcome.message, "StepError")
                        : failure(lastTry, outcome.message, StepFailures.EXIT_CODE, outcome.exitCode);
        };
    }

    private static ApplicationFailure failure(boolean lastTry, String message, String type, Object... details) {
        return lastTry
                ? ApplicationFailure.newNonRetryableFailure(message, type, details)
                : ApplicationFailure.newFailure(message, type, details);
    }

    private Outcome runProcess(
            StepRequest request,
            Workspace workspace,
            Map<String, String> env,
            LogShipper logs,
            ActivityExecutionContext context,
            ArtifactRef restored)
            throws IOException {
        try (Checkpoints checkpoints =
                new Checkpoints(workspace.checkpoint(), server, config.checkpointSeconds() * 1000L, restored)) {
            return runProcess(request, workspace, env, logs, context, checkpoints);
        }
    }

    private Outcome runProcess(
            StepRequest request,
            Workspace workspace,
            Map<String, String> env,
            LogShipper logs,
            ActivityExecutionContext context,
            Checkpoints checkpoints)
            throws IOException {
        List<String> command = request.command();
        String container = null;
        if (runsInImage(request)) {
            // the step's image, its workspace mounted; the runtime's own client runs with the worker's environment
            container = ContainerCommand.name(
                    request.runId(),
                    request.step(),
                    request.attemptBase() + context.getInfo().getAttempt());
            command = ContainerCommand.build(
                    config.containerRuntime(),
                    container,
                    request.image(),
                    workspace.root(),
                    command,
                    ContainerCommand.insideEnv(inImage(env), workspace),
                    capacity.gpusOf(context.getInfo().getTaskToken()),
                    config.containerNetwork(),
                    config.containerUser());
            env = new LinkedHashMap<>(System.getenv());
            env.keySet().removeIf(HIDDEN_ENV::contains);
        }
        // a container has a sandbox of its own; its runtime's client needs the worker's socket and network
        List<String> inSandbox = container == null ? sandbox.options(workspace.root(), workspace.code()) : List.of();
        StepProcess process =
                StepProcess.start(command, workspace.code(), env, logs.stdout(), logs.stderr(), pids, inSandbox);
        String containerName = container;
        Runnable stopContainer = () -> {
            if (containerName != null) {
                try {
                    new ProcessBuilder(config.containerRuntime(), "kill", containerName)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor();
                } catch (IOException e) {
                    log.warn("cannot kill container {}: {}", containerName, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        log.info("started {} as process group {}", request.command(), process.pid());
        long deadline = request.timeoutMs() > 0 ? System.currentTimeMillis() + request.timeoutMs() : Long.MAX_VALUE;
        Duration grace = Duration.ofSeconds(config.killGraceSeconds());
        try {
            while (!process.waitFor(Duration.ofSeconds(1))) {
                checkpoints.maybeUpload();
                try {
                    context.heartbeat(checkpoints.latest());
                } catch (ActivityCompletionException e) {
                    log.info(
                            "attempt cancelled ({}); ending its processes",
                            e.getClass().getSimpleName());
                    stopContainer.run();
                    process.terminate(grace);
                    process.waitFor(Duration.ofSeconds(30));
                    return new Outcome(AttemptStatus.CANCELLED, null, "cancelled", e);
                }
                if (System.currentTimeMillis() > deadline) {
                    stopContainer.run();
                    process.terminate(grace);
                    process.waitFor(Duration.ofSeconds(30));
                    return new Outcome(
                            AttemptStatus.TIMED_OUT,
                            null,
                            "timed out after "
                                    + Duration.ofMillis(request.timeoutMs())
                                            .toString()
                                            .substring(2)
                                            .toLowerCase());
                }
                if (process.leaderExited()) {
                    process.killLeftovers(); // its children hold the output open; a step leaves nothing behind
                }
            }
            process.killLeftovers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.terminate(grace);
            return new Outcome(AttemptStatus.LOST, null, "the worker is shutting down");
        } finally {
            process.forget();
        }
        int exit = process.exitCode();
        return exit == 0
                ? new Outcome(AttemptStatus.SUCCEEDED, 0, null)
                : new Outcome(AttemptStatus.FAILED, exit, "the command exited with code " + exit);
    }

    private void deleteLater(Workspace workspace) {
        Runnable delete = () -> {
            try {
                workspace.delete();
            } catch (IOException e) {
                log.warn("cannot delete workspace {}: {}", workspace.root(), e.getMessage());
            }
        };
        if (cleaner.isShutdown()) {
            delete.run(); // the worker is closing: no thread of its own any more
        } else {
            cleaner.execute(delete);
        }
    }

    /** Waits (bounded) for the workspaces of finished attempts to be deleted. */
    void close() {
        waitingReports.shutdownNow();
        cleaner.shutdown();
        try {
            if (!cleaner.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("workspaces still being deleted after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, String> inImage(Map<String, String> env) {
        Map<String, String> inside = new LinkedHashMap<>(env);
        pythonOutput.applyInImage(inside);
        return inside;
    }

    private boolean runsInImage(StepRequest request) {
        return config.runner().equals("container")
                && request.image() != null
                && !request.image().isBlank();
    }

    /** The variables Baton gives a step: its spec's {@code env}, its parameters and the {@code BATON_*} variables. */
    private Map<String, String> givenEnvironment(
            StepRequest request, Workspace workspace, int attempt, byte[] taskToken) {
        Map<String, String> env = new LinkedHashMap<>(request.env());
        request.parameters().forEach((name, value) -> env.put(Parameters.envName(name), Parameters.render(value)));
        env.put("BATON_RUN_ID", request.runId());
        env.put("BATON_STEP", request.step());
        env.put("BATON_ATTEMPT", Integer.toString(attempt));
        env.put("BATON_OUTPUTS", workspace.outputs().toString());
        env.put("BATON_INPUTS", workspace.inputs().toString());
        env.put("BATON_CHECKPOINT_DIR", workspace.checkpoint().toString());
        env.put("BATON_PARAMETERS_FILE", workspace.parametersFile().toString());
        env.put("HOME", workspace.root().toString());
        env.put("TMPDIR", workspace.tmp().toString());
        // the API, reached from a network namespace through the relay; a container's runtime gives it its own network
        env.putAll(
                runsInImage(request)
                        ? StepSandbox.none().serverEnvironment(config.server())
                        : sandbox.serverEnvironment(config.server()));
        if (capacity.totalGpus() > 0) {
            // exactly the GPUs this step was given; none for a step that asked for none
            String visible = String.join(
                    ",",
                    capacity.gpusOf(taskToken).stream().map(String::valueOf).toList());
            env.put("CUDA_VISIBLE_DEVICES", visible);
            env.put("NVIDIA_VISIBLE_DEVICES", visible.isEmpty() ? "none" : visible);
        }
        return env;
    }

    /**
     * The whole environment of a step's process: the few variables of the worker's own that {@link StepEnvironment}
     * allows, the folders it puts first on PATH, then {@code given} (the variables Baton gives it).
     */
    Map<String, String> processEnvironment(Map<String, String> given) {
        Map<String, String> env = StepEnvironment.base(System.getenv(), config.pathPrepend(), config.passEnv());
        env.putAll(given);
        pythonOutput.apply(env, given);
        return env;
    }

    private void stageBundle(String sha256, Workspace workspace) throws IOException, BundleException {
        if (sha256 == null || sha256.isBlank()) {
            return;
        }
        artifacts.use(sha256, cached -> {
            try (InputStream in = Files.newInputStream(cached)) {
                Bundles.unpack(in, workspace.code(), BundleLimits.DEFAULT);
            }
        });
    }

    /**
     * Reports a success that also ends the step; false when the server refused that part (a server from before it, or
     * an input it will not record): the plain report follows, and the workflow records the step itself.
     */
    private boolean finishEndingStep(StepRequest request, int attempt, List<ArtifactRef> produced) {
        try {
            reports.attemptFinished(
                    request.runId(),
                    request.step(),
                    attempt,
                    new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, produced, true, request.inputs()));
            return true;
        } catch (ServerClient.ServerException e) {
            if (e.status() != 400) {
                throw unreachable(e);
            }
            log.warn(
                    "attempt {} of {}: the server would not end the step with it ({}); the workflow will",
                    attempt,
                    request.step(),
                    e.getMessage());
            return false;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private void finish(StepRequest request, int attempt, AttemptFinish finish) {
        report(() -> {
            reports.attemptFinished(request.runId(), request.step(), attempt, finish);
            return null;
        });
    }

    private interface Report<T> {
        T run() throws IOException;
    }

    /** A report the server could not take fails the attempt; Temporal tries it again. */
    private static <T> T report(Report<T> report) {
        try {
            return report.run();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static ApplicationFailure unreachable(IOException e) {
        return ApplicationFailure.newFailure("cannot reach the Baton server: " + e.getMessage(), "ServerUnavailable");
    }

    private record Outcome(
            AttemptStatus status, Integer exitCode, String message, ActivityCompletionException cancellation) {
        Outcome(AttemptStatus status, Integer exitCode, String message) {
            this(status, exitCode, message, null);
        }
    }
}
