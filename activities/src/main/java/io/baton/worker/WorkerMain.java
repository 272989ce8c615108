package io.baton.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./baton worker}: one worker process. Settings from {@code config/worker.yml} (or the file given as the
 * first argument) with the environment overriding them. SIGTERM drains: running steps finish, no new ones start.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "config/worker.yml");
        if (!Files.exists(file)) {
            System.err.println("worker configuration not found: " + file.toAbsolutePath());
            System.exit(2);
        }
        WorkerConfig config;
        try {
            config = WorkerConfig.load(file, Map.copyOf(System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("bad worker configuration " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.server() == null || config.token() == null || config.temporal() == null) {
            System.err.println("a worker needs BATON_SERVER, BATON_TOKEN and BATON_TEMPORAL");
            System.exit(2);
        }
        if ((config.payloadKey() == null || config.payloadKey().isBlank())
                && (config.payloadKeyFile() == null || config.payloadKeyFile().isBlank())) {
            System.err.println("a worker needs the servers' payload key: BATON_PAYLOAD_KEY or BATON_PAYLOAD_KEY_FILE");
            System.exit(2);
        }
        WorkerRuntime runtime = new WorkerRuntime(config);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("worker {} draining", config.name());
                            runtime.drain(Duration.ofHours(24));
                            runtime.close();
                        },
                        "worker-drain"));
        runtime.onDrained(() -> {
            log.info("worker {} drained; exiting", config.name());
            runtime.close();
            System.exit(0);
        });
        runtime.start();
        Thread.currentThread().join();
    }
}
