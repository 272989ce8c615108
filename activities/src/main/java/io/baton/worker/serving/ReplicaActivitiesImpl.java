package io.baton.worker.serving;

import io.baton.bundle.BundleException;
import io.baton.common.Daemons;
import io.baton.protocol.ReplicaReady;
import io.baton.worker.artifacts.Artifacts;
import io.baton.worker.artifacts.WorkspaceStaging;
import io.baton.worker.client.ServerClient;
import io.baton.worker.hardware.Capacity;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepEnvironment;
import io.baton.worker.process.StepProcess;
import io.baton.worker.process.StepSandbox;
import io.baton.worker.workspace.Workspace;
import io.baton.workflows.ReplicaActivities;
import io.baton.workflows.ReplicaFailures;
import io.baton.workflows.ReplicaRequest;
import io.baton.workflows.StagedInput;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one replica of an endpoint: stages its model and bundle, starts its serving command, waits for its health path,
 * reports its address to the server and serves, heartbeating, until cancelled (docs/endpoints.md).
 */
public final class ReplicaActivitiesImpl implements ReplicaActivities {
    private static final Logger log = LoggerFactory.getLogger(ReplicaActivitiesImpl.class);
    private static final int TAIL_LINES = 40;
    /** Between two health checks while the replica starts: a model loads in about a second or much more. */
    private static final Duration STARTING_PAUSE = Duration.ofMillis(200);
    /** Between two health checks while it serves, and how many failed checks in a row end it. */
    static final Duration SERVING_CHECK = Duration.ofSeconds(5);

    static final int SERVING_FAILURES = 3;

    /**
     * The worker's settings a replica uses: its {@code worker} name (the report's), work folder, the host the servers
     * reach it at, the steps' PATH additions and passed variables, and the grace a stopped replica gets.
     */
    public record Settings(
            String worker,
            Path workDir,
            String advertiseHost,
            List<String> pathPrepend,
            List<String> passEnv,
            Duration killGrace,
            boolean keepWorkspaces) {
        public Settings {
            pathPrepend = List.copyOf(pathPrepend);
            passEnv = List.copyOf(passEnv);
        }
    }

    private final Settings settings;
    private final ServerClient server;
    private final WorkspaceStaging staging;
    private final PidRegistry pids;
    private final Capacity capacity;
    private final StepSandbox sandbox;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService background = Executors.newCachedThreadPool(Daemons.named("replica-background"));
    private volatile boolean stopping;

    /**
     * {@code capacity}: the worker's, whose GPUs a replica takes (null: GPUs are not shared with steps);
     * {@code sandbox}: the steps', whose network namespace a replica goes without (the servers must reach its port).
     */
    public ReplicaActivitiesImpl(
            Settings settings,
            ServerClient server,
            Artifacts artifacts,
            PidRegistry pids,
            Capacity capacity,
            StepSandbox sandbox) {
        this.settings = settings;
        this.server = server;
        this.staging = new WorkspaceStaging(artifacts);
        this.pids = pids;
        this.capacity = capacity;
        this.sandbox = sandbox.withoutNetwork();
    }

    @Override
    public void serve(ReplicaRequest request) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        byte[] task = context.getInfo().getTaskToken();
        MDC.put("endpoint", request.endpoint());
        MDC.put("replica", request.replicaId());
        running.add(request.replicaId());
        boolean hasGpus = capacity != null && capacity.totalGpus() > 0;
        boolean takesGpus = hasGpus && request.gpus() > 0;
        try {
            checkStopping();
            // null on a worker without GPUs: CUDA_VISIBLE_DEVICES is left unset there
            List<Integer> gpus = takesGpus ? takeGpus(request, task, context) : hasGpus ? List.of() : null;
            Workspace workspace = new Workspace(settings.workDir()
                    .resolve("workspaces")
                    .resolve("replicas")
                    .resolve(Workspace.safe(request.replicaId())));
            try {
                run(request, workspace, gpus, context);
            } finally {
                if (!settings.keepWorkspaces()) {
                    delete(workspace);
                }
            }
        } catch (ActivityCompletionException e) {
            log.info(
                    "replica {} cancelled ({}); it has stopped",
                    request.replicaId(),
                    e.getClass().getSimpleName());
            throw e;
        } finally {
            if (takesGpus) {
                capacity.leave(task);
            }
            running.remove(request.replicaId());
            MDC.clear();
        }
    }

    /**
     * The GPUs the replica asked for, taken from the worker's capacity (first in line with the steps that wait), so
     * that no step is given them while it serves; empty for a replica that asked for none.
     */
    private List<Integer> takeGpus(ReplicaRequest request, byte[] task, ActivityExecutionContext context) {
        Future<Capacity.Grant> room = capacity.arrive(task, 0, request.gpus());
        return whileHeartbeating(room::get, context).gpus();
    }

    private void run(
            ReplicaRequest request, Workspace workspace, List<Integer> gpus, ActivityExecutionContext context) {
        HealthCheck health;
        try {
            health = new HealthCheck(request.health());
        } catch (IllegalArgumentException e) {
            throw failure(ReplicaFailures.STAGING, "the health path is not a URL path: " + request.health());
        }
        String model = whileHeartbeating(() -> stage(request, workspace), context);
        int port;
        try {
            port = ServingCommand.freePort();
        } catch (IOException e) {
            throw failure(ReplicaFailures.STAGING, "cannot find a free port: " + e.getMessage());
        }
        List<String> command = ServingCommand.substitute(request.command(), model, port);
        Map<String, String> env = environment(request, workspace, model, port, gpus);
        try (OutputTail output = new OutputTail(workspace.root().resolve("serving.log"), TAIL_LINES)) {
            StepProcess process = start(command, workspace, env, output);
            log.info("replica {}: started {} as process group {}", request.replicaId(), command, process.pid());
            try {
                awaitHealthy(request, process, health, port, output, context);
                report(request, port, context);
                serveUntilStopped(request, process, health, port, output, context);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(ReplicaFailures.STOPPED_SERVING, "the worker " + settings.worker() + " is shutting down");
            } finally {
                process.terminate(settings.killGrace());
                process.forget();
            }
        } catch (IOException e) {
            throw failure(ReplicaFailures.STAGING, "cannot keep the serving command's output: " + e.getMessage());
        }
    }

    /** Stages the bundle into the code folder and the model under {@code inputs/model/}; answers {@code {model}}. */
    private String stage(ReplicaRequest request, Workspace workspace) {
        List<StagedInput> files = request.modelFiles().stream()
                .map(f -> new StagedInput("model", null, f.path(), f.sha256(), f.size(), f.source()))
                .toList();
        try {
            staging.stage(workspace, request.bundle(), files, null, Map.of());
            sandbox.handOver(workspace.root());
        } catch (BundleException e) {
            throw failure(ReplicaFailures.STAGING, "cannot unpack the code bundle: " + e.getMessage());
        } catch (IOException e) {
            throw failure(ReplicaFailures.STAGING, "cannot stage the model or the bundle: " + e.getMessage());
        }
        Path folder = workspace.inputs().resolve("model");
        Path model = files.size() == 1 ? folder.resolve(files.get(0).path()).normalize() : folder;
        return model.toAbsolutePath().toString();
    }

    /**
     * A step's environment (the worker's allowed variables, PATH first), the request's variables, then Baton's: never
     * a token nor any other credential of the worker's.
     */
    private Map<String, String> environment(
            ReplicaRequest request, Workspace workspace, String model, int port, List<Integer> gpus) {
        Map<String, String> env =
                new LinkedHashMap<>(StepEnvironment.base(System.getenv(), settings.pathPrepend(), settings.passEnv()));
        env.put("PYTHONUNBUFFERED", "1"); // its output reaches the log as it is written
        env.putAll(request.env());
        env.put("BATON_MODEL", model);
        env.put("BATON_PORT", Integer.toString(port));
        env.put("BATON_MODEL_VERSION", request.model() + "/" + request.version());
        env.put("BATON_ENDPOINT", request.endpoint());
        env.put("HOME", workspace.root().toString());
        env.put("TMPDIR", workspace.tmp().toString());
        if (gpus != null) {
            String visible = String.join(",", gpus.stream().map(String::valueOf).toList());
            env.put("CUDA_VISIBLE_DEVICES", visible);
            env.put("NVIDIA_VISIBLE_DEVICES", visible.isEmpty() ? "none" : visible);
        }
        return env;
    }

    private StepProcess start(List<String> command, Workspace workspace, Map<String, String> env, OutputTail output) {
        try {
            return StepProcess.start(
                    command,
                    workspace.code(),
                    env,
                    output,
                    output,
                    pids,
                    "KILL",
                    StepProcess.launcher(),
                    sandbox.options(workspace.root(), workspace.code()));
        } catch (IOException e) {
            throw failure(ReplicaFailures.STAGING, "cannot start the serving command: " + e.getMessage());
        }
    }

    private void awaitHealthy(
            ReplicaRequest request,
            StepProcess process,
            HealthCheck health,
            int port,
            OutputTail output,
            ActivityExecutionContext context)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.healthTimeoutMs());
        while (true) {
            context.heartbeat(null);
            checkStopping();
            if (process.leaderExited()) {
                int code = exitCode(process);
                throw failure(
                        ReplicaFailures.EXITED,
                        "the serving command exited with code " + code + " before it answered " + request.health()
                                + withOutput(output),
                        code);
            }
            String problem = health.problem(port);
            if (problem == null) {
                log.info("replica {} answers {}", request.replicaId(), request.health());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(
                        ReplicaFailures.UNHEALTHY,
                        request.health() + " did not answer 2xx within " + seconds(request.healthTimeoutMs())
                                + "; last answer: " + problem + withOutput(output));
            }
            process.waitFor(STARTING_PAUSE);
        }
    }

    /** Tells the server where the replica answers; a refusal (404, 409) or a server away too long ends it. */
    private void report(ReplicaRequest request, int port, ActivityExecutionContext context) {
        ReplicaReady ready = new ReplicaReady(settings.advertiseHost() + ":" + port);
        try {
            whileHeartbeating(
                    () -> {
                        server.replicaReady(settings.worker(), request.replicaId(), ready);
                        return null;
                    },
                    context);
        } catch (BackgroundFailure e) {
            throw failure(
                    ReplicaFailures.REFUSED,
                    e.getCause() instanceof ServerClient.ServerException refused && refused.status() < 500
                            ? "the server refused the replica (" + refused.status() + "): " + refused.getMessage()
                            : "cannot report the replica to the server: "
                                    + e.getCause().getMessage());
        }
        log.info("replica {} reported at {}", request.replicaId(), ready.address());
    }

    private void serveUntilStopped(
            ReplicaRequest request,
            StepProcess process,
            HealthCheck health,
            int port,
            OutputTail output,
            ActivityExecutionContext context)
            throws InterruptedException {
        int failures = 0;
        long nextCheck = System.nanoTime() + SERVING_CHECK.toNanos();
        while (true) {
            process.waitFor(Duration.ofSeconds(1));
            if (process.leaderExited()) {
                int code = exitCode(process);
                throw failure(
                        ReplicaFailures.STOPPED_SERVING,
                        "the serving command exited with code " + code + withOutput(output),
                        code);
            }
            context.heartbeat(null);
            checkStopping();
            if (System.nanoTime() >= nextCheck) {
                String problem = health.problem(port);
                failures = problem == null ? 0 : failures + 1;
                if (failures >= SERVING_FAILURES) {
                    throw failure(
                            ReplicaFailures.STOPPED_SERVING,
                            request.health() + " failed " + failures + " checks in a row; last answer: " + problem
                                    + withOutput(output));
                }
                nextCheck = System.nanoTime() + SERVING_CHECK.toNanos();
            }
        }
    }

    /** The exit code of a process whose leader has exited, once its output is drained (what it left is killed). */
    private static int exitCode(StepProcess process) throws InterruptedException {
        if (!process.waitFor(Duration.ofSeconds(2))) {
            process.killLeftovers(); // its children hold the output open
            process.waitFor(Duration.ofSeconds(5));
        }
        return process.done() ? process.exitCode() : -1;
    }

    /**
     * A stage that may take long (a download, a report to a server that is away), run in the background while the
     * activity heartbeats. A cancellation interrupts it and waits for it to end: the workspace is deleted next, not
     * while a download still writes into it.
     */
    private <T> T whileHeartbeating(Callable<T> work, ActivityExecutionContext context) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CountDownLatch ended = new CountDownLatch(1);
        Future<?> running = background.submit(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                ended.countDown();
            }
        });
        try {
            while (true) {
                try {
                    return result.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    context.heartbeat(null);
                    checkStopping();
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BackgroundFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(ReplicaFailures.STOPPED_SERVING, "the worker " + settings.worker() + " is shutting down");
        } finally {
            if (!result.isDone()) {
                running.cancel(true);
                awaitQuietly(ended);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch ended) {
        boolean interrupted = Thread.interrupted();
        try {
            ended.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A checked exception of work done in the background ({@link #whileHeartbeating}). */
    private static final class BackgroundFailure extends RuntimeException {
        BackgroundFailure(Throwable cause) {
            super(cause);
        }
    }

    private void checkStopping() {
        if (stopping) {
            throw failure(ReplicaFailures.STOPPED_SERVING, "the worker " + settings.worker() + " is shutting down");
        }
    }

    /**
     * Stops every replica of this worker (the worker drains or shuts down): each ends its process group as a
     * cancelled one does and fails as {@link ReplicaFailures#STOPPED_SERVING}. Returns once all have, or after
     * {@code max}.
     */
    public void stopAll(Duration max) {
        stopping = true;
        long deadline = System.nanoTime() + max.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!running.isEmpty()) {
            log.warn("replicas {} did not stop within {}", running, max);
        }
    }

    /** The replicas running now. */
    public List<String> running() {
        return List.copyOf(running);
    }

    private static void delete(Workspace workspace) {
        try {
            workspace.delete();
        } catch (IOException e) {
            log.warn("cannot delete the replica's workspace {}: {}", workspace.root(), e.getMessage());
        }
    }

    private static String withOutput(OutputTail output) {
        String text = output.text();
        return text.isEmpty() ? " (it wrote nothing)" : ":\n" + text;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static ApplicationFailure failure(String type, String message, Object... details) {
        return ApplicationFailure.newNonRetryableFailure(message, type, details);
    }
}
