package io.baton.server.local;

import io.baton.common.Retry;
import io.baton.server.temporal.TemporalSettings.DevServerSettings;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's Temporal: the official CLI's dev server as a child process, with a file database under the data
 * folder, bound to 127.0.0.1. It runs in its own process group with a parent-death signal; its pid is recorded so
 * that the next start after a {@code kill -9} of Baton ends a leftover one first.
 */
public final class DevServer implements Managed {
    private static final Logger log = LoggerFactory.getLogger(DevServer.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final int QUEUE_READS_PER_SECOND = 2000;

    private final DevServerSettings settings;
    private final String namespace;
    private final Path dataDir;
    private StepProcess process;
    private OutputStream logFile;

    public DevServer(DevServerSettings settings, String namespace, Path dataDir) {
        this.settings = settings;
        this.namespace = namespace;
        this.dataDir = dataDir;
    }

    /**
     * The dev server's settings for a machine that runs one Baton: the fairness matcher; one partition per task queue,
     * so that a single poller per shape sees every step at once; and the history service's task queues read as soon
     * as they have work. Their default caps each at 20 reads a second, which made every dispatch (a step's activity,
     * the workflow task after it) wait for the next read: about 50 ms each, 100 ms per step.
     */
    public static List<String> dynamicConfigArguments() {
        List<String> values = List.of(
                "system.enableEagerWorkflowStart=true",
                "matching.useNewMatcher=true",
                "matching.enableFairness=true",
                "matching.numTaskqueueReadPartitions=1",
                "matching.numTaskqueueWritePartitions=1",
                "history.transferProcessorMaxPollRPS=" + QUEUE_READS_PER_SECOND,
                "history.timerProcessorMaxPollRPS=" + QUEUE_READS_PER_SECOND,
                "history.visibilityProcessorMaxPollRPS=" + QUEUE_READS_PER_SECOND);
        List<String> arguments = new ArrayList<>();
        for (String value : values) {
            arguments.add("--dynamic-config-value");
            arguments.add(value);
        }
        return arguments;
    }

    @Override
    public void start() throws Exception {
        PidRegistry pids = new PidRegistry(dataDir.resolve("pids"));
        int reaped = pids.reapLeftovers();
        if (reaped > 0) {
            log.warn("ended {} process group(s) left by a Baton that was killed", reaped);
        }
        Path logs = Files.createDirectories(dataDir.resolve("logs"));
        Path logPath = logs.resolve("temporal.log");
        logFile = Files.newOutputStream(logPath, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> command = new ArrayList<>(List.of(
                settings.binary,
                "server",
                "start-dev",
                "--db-filename",
                dataDir.toAbsolutePath().resolve("temporal.db").toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(settings.port),
                "--ui-port",
                Integer.toString(settings.uiPort),
                "--namespace",
                namespace,
                "--log-level",
                "warn"));
        command.addAll(dynamicConfigArguments());
        if (settings.uiCodecEndpoint != null && !settings.uiCodecEndpoint.isBlank()) {
            // payloads are sealed: the UI asks the server's codec route to open them when it holds a user's token to
            // send
            command.addAll(List.of("--ui-codec-endpoint", settings.uiCodecEndpoint));
        }
        log.info(
                "starting the Temporal dev server on 127.0.0.1:{} (UI on port {}), log in {}",
                settings.port,
                settings.uiPort,
                logPath);
        process = StepProcess.start(command, dataDir, Map.copyOf(System.getenv()), logFile, logFile, pids);
        waitUntilListening(logPath);
    }

    private void waitUntilListening(Path logPath) throws IOException, InterruptedException {
        Retry retry = Retry.every(Duration.ofMillis(200), READY_WITHIN);
        while (!retry.spent()) {
            if (process.done()) {
                throw new IOException("the Temporal dev server exited with code " + process.exitCode() + "; see "
                        + logPath
                        + " (is port " + settings.port + " or " + settings.uiPort + " taken? is '" + settings.binary
                        + "' installed?)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", settings.port), 500);
                return;
            } catch (IOException e) {
                retry.pause();
            }
        }
        throw new IOException("the Temporal dev server did not listen on port " + settings.port + " within "
                + READY_WITHIN.toSeconds() + "s; see " + logPath);
    }

    @Override
    public void stop() throws IOException {
        if (process != null) {
            process.terminate(Duration.ofSeconds(10));
            process.forget();
        }
        if (logFile != null) {
            logFile.close();
        }
    }
}
