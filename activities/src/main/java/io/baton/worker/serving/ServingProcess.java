package io.baton.worker.serving;

import io.baton.worker.process.StepProcess;
import io.baton.workflows.ReplicaFailures;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A replica's running serving command, watched: until its health path answers, then while it serves. {@code beat}
 * heartbeats (and throws to stop it: a cancellation, a worker shutting down).
 */
final class ServingProcess {
    /** Between two health checks while the replica starts: a model loads in about a second or much more. */
    private static final Duration STARTING_PAUSE = Duration.ofMillis(200);
    /** Between two health checks while it serves, and how many failed checks in a row end it. */
    static final Duration SERVING_CHECK = Duration.ofSeconds(5);

    static final int SERVING_FAILURES = 3;

    private final StepProcess process;
    private final String healthPath;
    private final HealthCheck health;
    private final int port;
    private final OutputTail output;
    private final Runnable beat;

    ServingProcess(
            StepProcess process, String healthPath, HealthCheck health, int port, OutputTail output, Runnable beat) {
        this.process = process;
        this.healthPath = healthPath;
        this.health = health;
        this.port = port;
        this.output = output;
        this.beat = beat;
    }

    /** Returns once the health path answers 2xx; fails as EXITED or UNHEALTHY (within {@code timeoutMs}). */
    void awaitHealthy(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            beat.run();
            if (process.leaderExited()) {
                int code = exitCode();
                throw ApplicationFailure.newNonRetryableFailure(
                        "the serving command exited with code " + code + " before it answered " + healthPath
                                + withOutput(),
                        ReplicaFailures.EXITED,
                        code);
            }
            String problem = health.problem(port);
            if (problem == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw ApplicationFailure.newNonRetryableFailure(
                        healthPath + " did not answer 2xx within " + seconds(timeoutMs) + "; last answer: " + problem
                                + withOutput(),
                        ReplicaFailures.UNHEALTHY);
            }
            process.waitFor(STARTING_PAUSE);
        }
    }

    /**
     * Serves until {@code beat} throws; fails as STOPPED_SERVING when the process exits or its health path fails
     * {@link #SERVING_FAILURES} checks in a row.
     */
    void serveUntilStopped() throws InterruptedException {
        int failures = 0;
        long nextCheck = System.nanoTime() + SERVING_CHECK.toNanos();
        while (true) {
            process.waitFor(Duration.ofSeconds(1));
            if (process.leaderExited()) {
                int code = exitCode();
                throw ApplicationFailure.newNonRetryableFailure(
                        "the serving command exited with code " + code + withOutput(),
                        ReplicaFailures.STOPPED_SERVING,
                        code);
            }
            beat.run();
            if (System.nanoTime() >= nextCheck) {
                String problem = health.problem(port);
                failures = problem == null ? 0 : failures + 1;
                if (failures >= SERVING_FAILURES) {
                    throw ApplicationFailure.newNonRetryableFailure(
                            healthPath + " failed " + failures + " checks in a row; last answer: " + problem
                                    + withOutput(),
                            ReplicaFailures.STOPPED_SERVING);
                }
                nextCheck = System.nanoTime() + SERVING_CHECK.toNanos();
            }
        }
    }

    /** The exit code of a process whose leader has exited, once its output is drained (what it left is killed). */
    private int exitCode() throws InterruptedException {
        if (!process.waitFor(Duration.ofSeconds(2))) {
            process.killLeftovers(); // its children hold the output open
            process.waitFor(Duration.ofSeconds(5));
        }
        return process.done() ? process.exitCode() : -1;
    }

    private String withOutput() {
        String text = output.text();
        return text.isEmpty() ? " (it wrote nothing)" : ":\n" + text;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
