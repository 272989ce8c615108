package io.baton.worker.client;

import io.baton.common.Daemons;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StagedInput;
import io.baton.workflows.StepFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's reports as its activity makes them: a report the server cannot take fails the attempt, and Temporal
 * tries it again.
 */
public final class AttemptReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AttemptReporter.class);

    private final AttemptReports reports;
    private final String workerName;

    /** Sends the reasons of waiting steps; one at a time is enough (a step waits rarely, and says so once). */
    private final ExecutorService waitingReports = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64),
            Daemons.named("waiting-reports"),
            new ThreadPoolExecutor.DiscardPolicy());

    public AttemptReporter(AttemptReports reports, String workerName) {
        this.reports = reports;
        this.workerName = workerName;
    }

    public AttemptStarted started(String runId, String step, AttemptStart start) {
        return report(() -> reports.attemptStarted(runId, step, start));
    }

    public void finished(String runId, String step, int attempt, AttemptFinish finish) {
        report(() -> {
            reports.attemptFinished(runId, step, attempt, finish);
            return null;
        });
    }

    /**
     * Reports a success that also ends the step; false when the server refused that part (a server from before it, or
     * an input it will not record): the plain report follows, and the workflow records the step itself.
     */
    public boolean finishedEndingStep(
            String runId, String step, int attempt, List<ArtifactRef> produced, List<StagedInput> inputs) {
        try {
            reports.attemptFinished(
                    runId, step, attempt, new AttemptFinish(AttemptStatus.SUCCEEDED, 0, null, produced, true, inputs));
            return true;
        } catch (ServerClient.ServerException e) {
            if (e.status() != 400) {
                throw unreachable(e);
            }
            log.warn(
                    "attempt {} of {}: the server would not end the step with it ({}); the workflow will",
                    attempt,
                    step,
                    e.getMessage());
            return false;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    public void appendLogs(String runId, String step, int attempt, LogBatch batch) throws IOException {
        reports.appendLogs(runId, step, attempt, batch);
    }

    /**
     * Says why a step that this worker took has not started: in the log, and to the server as the step's
     * {@code reason}, off the step's thread (it keeps heartbeating); a lost report only loses the reason.
     */
    public void waiting(String runId, String step, int attempt, String reason) {
        log.info("step {}: {}", step, reason);
        waitingReports.execute(() -> {
            try {
                reports.attemptWaiting(runId, step, attempt, new AttemptWaiting(workerName, reason));
            } catch (IOException | RuntimeException e) {
                log.warn("cannot tell the server why step {} waits: {}", step, e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        waitingReports.shutdownNow();
    }

    private interface Report<T> {
        T run() throws IOException;
    }

    private static <T> T report(Report<T> report) {
        try {
            return report.run();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static ApplicationFailure unreachable(IOException e) {
        return ApplicationFailure.newFailure(
                "cannot reach the Baton server: " + e.getMessage(), StepFailures.SERVER_UNAVAILABLE);
    }
}
