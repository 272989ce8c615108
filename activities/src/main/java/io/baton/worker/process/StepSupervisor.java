package io.baton.worker.process;

import io.baton.worker.workspace.Workspace;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StepRequest;
import io.temporal.client.ActivityCompletionException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attempt's command to its end while heartbeating; a cancel or the step's timeout ends its whole process
 * tree.
 */
public final class StepSupervisor {
    private static final Logger log = LoggerFactory.getLogger(StepSupervisor.class);

    /** How an attempt's command ended; {@code cancellation} is set for {@link AttemptStatus#CANCELLED}. */
    public record Outcome(
            AttemptStatus status, Integer exitCode, String message, ActivityCompletionException cancellation) {
        public Outcome(AttemptStatus status, Integer exitCode, String message) {
            this(status, exitCode, message, null);
        }
    }

    /** The container runner's settings: its runtime ({@code docker} or {@code podman}), network and user. */
    public record Containers(String runtime, String network, String user) {}

    private final PidRegistry pids;
    private final StepSandbox sandbox;
    private final StepVariables variables;
    private final Containers containers;
    private final Duration killGrace;

    public StepSupervisor(
            PidRegistry pids, StepSandbox sandbox, StepVariables variables, Containers containers, Duration killGrace) {
        this.pids = pids;
        this.sandbox = sandbox;
        this.variables = variables;
        this.containers = containers;
        this.killGrace = killGrace;
    }

    /**
     * Runs the step's command in {@code workspace} with {@code env} and its {@code secrets} (variables too, never on
     * a command line), in its image when {@code inImage} (with {@code gpus}), calling {@code heartbeat} every second;
     * an {@link ActivityCompletionException} from it cancels.
     */
    public Outcome run(
            StepRequest request,
            int attempt,
            Workspace workspace,
            Map<String, String> env,
            Map<String, String> secrets,
            boolean inImage,
            List<Integer> gpus,
            OutputStream stdout,
            OutputStream stderr,
            Runnable heartbeat)
            throws IOException {
        List<String> command = request.command().args();
        String container = null;
        if (inImage) {
            // the step's image, its workspace mounted; the runtime's own client runs with the worker's environment
            container = ContainerCommand.name(request.runId(), request.step(), attempt);
            command = ContainerCommand.build(
                    containers.runtime(),
                    container,
                    request.command().image(),
                    workspace.root(),
                    command,
                    ContainerCommand.insideEnv(variables.inImage(env), workspace),
                    secrets.keySet(),
                    gpus,
                    containers.network(),
                    containers.user());
            env = StepVariables.containerClient();
        }
        env = new LinkedHashMap<>(env);
        env.putAll(secrets); // the step's, or its container runtime client's (which hands them on by name)
        // a container has a sandbox of its own; its runtime's client needs the worker's socket and network
        List<String> inSandbox = container == null ? sandbox.options(workspace.root(), workspace.code()) : List.of();
        StepProcess process = StepProcess.start(
                command, workspace.code(), env, stdout, stderr, pids, "KILL", StepProcess.launcher(), inSandbox);
        String containerName = container;
        Runnable stopContainer = () -> {
            if (containerName != null) {
                stopContainer(containerName);
            }
        };
        log.info("started {} as process group {}", request.command().args(), process.pid());
        long timeoutMs = request.limits().timeoutMs();
        long deadline = timeoutMs > 0 ? System.currentTimeMillis() + timeoutMs : Long.MAX_VALUE;
        try {
            while (!process.waitFor(Duration.ofSeconds(1))) {
                try {
                    heartbeat.run();
                } catch (ActivityCompletionException e) {
                    log.info(
                            "attempt cancelled ({}); ending its processes",
                            e.getClass().getSimpleName());
                    stopContainer.run();
                    process.terminate(killGrace);
                    process.waitFor(Duration.ofSeconds(30));
                    return new Outcome(AttemptStatus.CANCELLED, null, "cancelled", e);
                }
                if (System.currentTimeMillis() > deadline) {
                    stopContainer.run();
                    process.terminate(killGrace);
                    process.waitFor(Duration.ofSeconds(30));
                    return new Outcome(
                            AttemptStatus.TIMED_OUT,
                            null,
                            "timed out after "
                                    + Duration.ofMillis(timeoutMs)
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
            process.terminate(killGrace);
            return new Outcome(AttemptStatus.LOST, null, "the worker is shutting down");
        } finally {
            process.forget();
        }
        int exit = process.exitCode();
        return exit == 0
                ? new Outcome(AttemptStatus.SUCCEEDED, 0, null)
                : new Outcome(AttemptStatus.FAILED, exit, "the command exited with code " + exit);
    }

    private void stopContainer(String name) {
        try {
            new ProcessBuilder(containers.runtime(), "kill", name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            log.warn("cannot kill container {}: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
