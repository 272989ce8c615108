package io.baton.worker;

import io.baton.common.BatonVersion;
import io.baton.common.Daemons;
import io.baton.common.PayloadKeyFile;
import io.baton.common.Retry;
import io.baton.common.TemporalConnection;
import io.baton.protocol.GpuInfo;
import io.baton.protocol.WorkerHeartbeat;
import io.baton.protocol.WorkerRegistration;
import io.baton.worker.client.AttemptReports;
import io.baton.worker.client.ServerClient;
import io.baton.worker.facts.AttemptFacts;
import io.baton.worker.hardware.Capacity;
import io.baton.worker.hardware.Gpus;
import io.baton.worker.hardware.HostInfo;
import io.baton.worker.process.Guardian;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import io.baton.worker.process.StepSandbox;
import io.baton.worker.serving.AdvertisedHost;
import io.baton.worker.serving.ReplicaActivitiesImpl;
import io.baton.worker.temporal.ShapeSlotSupplier;
import io.baton.workflows.Payloads;
import io.baton.workflows.SealedPayloads;
import io.baton.workflows.TaskQueues;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker, whole: reaps what a killed predecessor left, registers with the server, heartbeats, and polls the task
 * queue of each pool it serves. Used by {@link WorkerMain} and, in local mode, inside the server process.
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
    /** How often a running step's heartbeat reaches Temporal, and so how soon it learns it was cancelled. */
    static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(2);
    /** How long a report waits out a server (or, in process, a database) that is away before the attempt fails. */
    public static final Duration REPORT_PATIENCE = Duration.ofMinutes(2);

    private final WorkerConfig config;
    private final ServerClient server;
    private final AttemptReports reports;
    private final ScheduledExecutorService heartbeats =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("worker-heartbeat"));
    private WorkflowServiceStubs service;
    private WorkerFactory factory;
    private StepActivitiesImpl steps;
    private ReplicaActivitiesImpl replicas;
    private Gpus.Found gpus = Gpus.Found.NONE;
    private Capacity capacity;
    private Guardian guardian;
    private volatile boolean draining;
    private volatile Runnable onDrained = () -> {};

    public WorkerRuntime(WorkerConfig config) {
        this(config, null);
    }

    /** A worker whose attempt reports go to {@code reports} (null: to the server over HTTP, as everything else). */
    public WorkerRuntime(WorkerConfig config, AttemptReports reports) {
        this.config = config;
        this.server = new ServerClient(config.server(), config.token(), REPORT_PATIENCE);
        this.reports = reports == null ? server : reports;
    }

    public void start() throws IOException {
        PidRegistry pids = new PidRegistry(config.workPath().resolve("pids"));
        int reaped = pids.reapLeftovers();
        if (reaped > 0) {
            log.warn("ended {} step process group(s) left by a previous run of worker {}", reaped, config.name());
        }
        PidRegistry guardianPid = new PidRegistry(config.workPath().resolve("guardian-pid"));
        guardianPid.reapLeftovers();
        guardian = Guardian.start(config.workPath(), config.workPath().resolve("pids"), guardianPid);
        gpus = Gpus.detect(config.gpus());
        capacity = new Capacity(
                config.slots(), gpus.gpus().stream().map(GpuInfo::index).toList(), HostInfo.memoryBytes());
        AttemptFacts facts = new AttemptFacts(config.name(), gpus.gpus());
        StepSandbox sandbox = sandbox();
        steps = new StepActivitiesImpl(config, server, reports, pids, capacity, facts, sandbox);
        steps.warmUp();

        // a worker opens only sealed payloads: the command it runs never comes from one that anyone could write
        SealedPayloads codec =
                new SealedPayloads(PayloadKeyFile.resolve(config.payloadKey(), config.payloadKeyFile()), false);
        service = TemporalConnection.connect(config.temporal(), config.tls(), Duration.ofMinutes(2));
        // the identity is the worker's name: the server checks that a step it reports was given to this worker
        WorkflowClient client = WorkflowClient.newInstance(
                service,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(config.namespace())
                        .setIdentity(config.name())
                        .setDataConverter(Payloads.sealed(codec))
                        .build());
        factory = WorkerFactory.newInstance(client);
        // one task queue per pool and resource shape this worker could ever fit, all drawing on one capacity
        int queues = 0;
        for (String pool : config.pools()) {
            for (int cpus = 1; cpus <= config.slots(); cpus *= 2) {
                for (int g = 0; g <= gpus.gpus().size(); g++) {
                    factory.newWorker(
                                    TaskQueues.pool(pool, cpus, g),
                                    WorkerOptions.newBuilder()
                                            .setWorkerTuner(new CompositeTuner(
                                                    new FixedSizeSlotSupplier<>(2),
                                                    new ShapeSlotSupplier(capacity, cpus, g),
                                                    new FixedSizeSlotSupplier<>(2),
                                                    new FixedSizeSlotSupplier<>(2)))
                                            .setMaxConcurrentActivityTaskPollers(1)
                                            .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                                            .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                                            .build())
                            .registerActivitiesImplementations(steps);
                    queues++;
                }
            }
        }
        queues += pollServingQueues(pids, sandbox);
        startPolling();
        // registered only once it polls: ONLINE means it takes steps
        server.register(config.name(), registration());
        heartbeats.scheduleWithFixedDelay(
                this::heartbeat, config.heartbeatSeconds(), config.heartbeatSeconds(), TimeUnit.SECONDS);
        log.info(
                "worker {} serving pools {} with {} slots and {} GPUs ({} task queues)",
                config.name(),
                config.pools(),
                config.slots(),
                gpus.gpus().size(),
                queues);
    }

    /**
     * The serving task queues of each pool (one per GPU count this worker has), polled with serving slots of their
     * own: a replica never takes a step's slot, and steps never keep a rollout's replicas from starting. Answers how
     * many queues it polls.
     */
    private int pollServingQueues(PidRegistry pids, StepSandbox sandbox) {
        if (config.servingSlots() == 0) {
            return 0;
        }
        String host =
                config.advertiseHost() != null ? config.advertiseHost() : AdvertisedHost.reaching(config.server());
        replicas = new ReplicaActivitiesImpl(
                new ReplicaActivitiesImpl.Settings(
                        config.name(),
                        config.workPath(),
                        host,
                        config.pathPrepend(),
                        config.passEnv(),
                        Duration.ofSeconds(config.killGraceSeconds()),
                        config.keepWorkspaces()),
                server,
                steps.artifacts(),
                pids,
                capacity,
                sandbox);
        // one supplier for every serving queue: servingSlots is the worker's, not each queue's
        FixedSizeSlotSupplier<ActivitySlotInfo> servingSlots = new FixedSizeSlotSupplier<>(config.servingSlots());
        int queues = 0;
        for (String pool : config.pools()) {
            for (int g = 0; g <= gpus.gpus().size(); g++) {
                factory.newWorker(
                                TaskQueues.serving(pool, g),
                                WorkerOptions.newBuilder()
                                        .setWorkerTuner(new CompositeTuner(
                                                new FixedSizeSlotSupplier<>(2),
                                                servingSlots,
                                                new FixedSizeSlotSupplier<>(2),
                                                new FixedSizeSlotSupplier<>(2)))
                                        .setMaxConcurrentActivityTaskPollers(1)
                                        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                                        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
                                        .build())
                        .registerActivitiesImplementations(replicas);
                queues++;
            }
        }
        log.info("worker {} runs up to {} replicas, reached at {}", config.name(), config.servingSlots(), host);
        return queues;
    }

    /** The sandbox of this worker's steps: what its machine allows, hiding its work folder and {@code stepHide}. */
    private StepSandbox sandbox() throws IOException {
        // shown to steps read-only: made now, so that the probe finds it (PythonOutput writes into it)
        Files.createDirectories(config.workPath().resolve("python"));
        List<Path> hidden = new ArrayList<>(List.of(config.workPath()));
        config.stepHide().forEach(p -> hidden.add(Path.of(p).toAbsolutePath().normalize()));
        List<Path> readable = new ArrayList<>(List.of(config.workPath().resolve("python")));
        config.pathPrepend()
                .forEach(p -> readable.add(Path.of(p).toAbsolutePath().normalize()));
        return StepSandbox.probe(
                StepProcess.launcher(),
                new StepSandbox.Settings(config.stepNetwork(), hidden, readable, config.stepUser(), config.server()),
                config.workPath().resolve("workspaces").resolve(".sandbox-probe"));
    }

    /** Starts the pollers; Temporal may refuse for a moment (it is starting, or restarting): try again a while. */
    private void startPolling() throws IOException {
        Retry retry = Retry.every(Duration.ofMillis(500), Duration.ofMinutes(2));
        while (true) {
            try {
                factory.start();
                return;
            } catch (StatusRuntimeException e) {
                if (retry.spent()) {
                    throw new IOException(
                            "cannot start polling Temporal at " + config.temporal() + ": " + e.getMessage(), e);
                }
                log.warn(
                        "Temporal refused the pollers ({}); trying again",
                        e.getStatus().getCode());
                try {
                    retry.pause();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    private WorkerRegistration registration() {
        String path =
                String.join(":", config.pathPrepend()) + ":" + System.getenv().getOrDefault("PATH", "");
        return new WorkerRegistration(
                config.pools(),
                HostInfo.cpus(),
                HostInfo.memoryBytes(),
                gpus.gpus(),
                config.slots(),
                HostInfo.os(),
                HostInfo.pythonVersion(path),
                gpus.driverVersion(),
                BatonVersion.version());
    }

    private void heartbeat() {
        try {
            boolean drainAsked = server.heartbeat(config.name(), new WorkerHeartbeat(steps.running(), draining));
            if (drainAsked && !draining) {
                log.info("worker {} was asked to drain: finishing running steps, taking no new ones", config.name());
                Thread drain = new Thread(
                        () -> {
                            drain(Duration.ofDays(7));
                            onDrained.run();
                        },
                        "worker-drain");
                drain.setDaemon(true);
                drain.start();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("heartbeat to the server failed: {}", e.getMessage());
        }
    }

    /** What to do once a drain asked through the API has finished (a worker process exits). */
    public void onDrained(Runnable action) {
        this.onDrained = action;
    }

    /** Takes no new steps, lets running ones finish (up to {@code max}), then stops taking work for good. */
    public void drain(Duration max) {
        draining = true;
        try {
            server.heartbeat(config.name(), new WorkerHeartbeat(steps == null ? List.of() : steps.running(), true));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot tell the server this worker drains: {}", e.getMessage());
        }
        if (factory == null) {
            return;
        }
        // Stop polling but keep the worker alive: a graceful shutdown of Temporal's worker would fail the running
        // steps' heartbeats, and a step must be allowed to finish. A poll already out may still bring a step: it runs
        // here (handing it back would cost it an attempt).
        capacity.drain();
        factory.suspendPolling();
        stopReplicas(); // a replica serves until stopped: none would end by itself
        Retry retry = Retry.every(Duration.ofMillis(200), max);
        // every step this worker took, running or still waiting for its room, is finished here
        while (!capacity.idle() && !retry.spent()) {
            try {
                retry.pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        factory.shutdown();
        factory.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void stopReplicas() {
        if (replicas != null) {
            replicas.stopAll(Duration.ofSeconds(config.killGraceSeconds() + 30L));
        }
    }

    @Override
    public void close() {
        stopReplicas();
        if (factory != null && !factory.isTerminated()) {
            factory.shutdownNow();
            factory.awaitTermination(30, TimeUnit.SECONDS);
        }
        heartbeats.shutdownNow();
        if (steps != null) {
            steps.close();
        }
        if (service != null) {
            service.shutdownNow();
        }
        if (guardian != null) {
            guardian.close();
        }
    }

    public String name() {
        return config.name();
    }
}
