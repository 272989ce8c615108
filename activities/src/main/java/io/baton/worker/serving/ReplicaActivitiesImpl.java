package io.baton.worker.serving;

import io.baton.bundle.BundleException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Background background = new Background();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
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
        Runnable beat = () -> {
            context.heartbeat(null); // throws on a cancellation
            if (stopping) {
                throw failure(ReplicaFailures.STOPPED_SERVING, "the worker " + settings.worker() + " is shutting down");
            }
        };
        MDC.put("endpoint", request.endpoint());
        MDC.put("replica", request.replicaId());
        running.add(request.replicaId());
        boolean hasGpus = capacity != null && capacity.totalGpus() > 0;
        boolean takesGpus = hasGpus && request.gpus() > 0;
        try {
            beat.run();
            // null on a worker without GPUs: CUDA_VISIBLE_DEVICES is left unset there
            List<Integer> gpus = takesGpus ? takeGpus(request, task, beat) : hasGpus ? List.of() : null;
            Workspace workspace = new Workspace(settings.workDir()
                    .resolve("workspaces")
                    .resolve("replicas")
                    .resolve(Workspace.safe(request.replicaId())));
            try {
                run(request, workspace, gpus, beat);
            } finally {
                if (!settings.keepWorkspaces()) {
                    delete(workspace);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the worker stops its Temporal worker now
            throw failure(ReplicaFailures.STOPPED_SERVING, "the worker " + settings.worker() + " is shutting down");
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
     * that no step is given them while it serves.
     */
    private List<Integer> takeGpus(ReplicaRequest request, byte[] task, Runnable beat) throws InterruptedException {
        Capacity.Grant grant = background.call(capacity.arrive(task, 0, request.gpus())::get, beat);
        return grant.gpus();
    }

    private void run(ReplicaRequest request, Workspace workspace, List<Integer> gpus, Runnable beat)
            throws InterruptedException {
        HealthCheck health;
        try {
            health = new HealthCheck(request.health());
        } catch (IllegalArgumentException e) {
            throw failure(ReplicaFailures.STAGING, "the health path is not a URL path: " + request.health());
        }
        String model = background.call(() -> stage(request, workspace), beat);
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
                ServingProcess serving = new ServingProcess(process, request.health(), health, port, output, beat);
                serving.awaitHealthy(request.healthTimeoutMs());
                log.info("replica {} answers {}", request.replicaId(), request.health());
                report(request, port, beat);
                serving.serveUntilStopped();
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
        env.put("BATON_MODEL_NAME", request.model()); // project/name
        env.put("BATON_MODEL_VERSION", Integer.toString(request.version()));
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

    /** Tells the server where the replica answers; a refusal (404, 409) or a server away too long ends it. */
    private void report(ReplicaRequest request, int port, Runnable beat) throws InterruptedException {
        ReplicaReady ready = new ReplicaReady(settings.advertiseHost() + ":" + port);
        try {
            background.call(
                    () -> {
                        server.replicaReady(settings.worker(), request.replicaId(), ready);
                        return null;
                    },
                    beat);
        } catch (Background.Failed e) {
            throw failure(
                    ReplicaFailures.REFUSED,
                    e.getCause() instanceof ServerClient.ServerException refused && refused.status() < 500
                            ? "the server refused the replica (" + refused.status() + "): " + refused.getMessage()
                            : "cannot report the replica to the server: "
                                    + e.getCause().getMessage());
        }
        log.info("replica {} reported at {}", request.replicaId(), ready.address());
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

    private static ApplicationFailure failure(String type, String message) {
        return ApplicationFailure.newNonRetryableFailure(message, type);
    }
}
