package io.baton.server.runs;

import io.baton.common.Daemons;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflows of runs that were recorded but not started (Temporal was unreachable at submission, or the
 * server died between the two). Starting is idempotent by workflow id, so a run is never started twice.
 */
public final class QueuedRunStarter implements Managed {
    private static final Logger log = LoggerFactory.getLogger(QueuedRunStarter.class);
    private static final long MIN_AGE_MILLIS = 5_000;
    /** A schedule's run is its action workflow's to start (as a child, so that overlap policies act on it). */
    private static final long SCHEDULED_MIN_AGE_MILLIS = 120_000;

    private final Jdbi jdbi;
    private final RunService runs;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("run-reconciler"));

    public QueuedRunStarter(Jdbi jdbi, RunService runs) {
        this.jdbi = jdbi;
        this.runs = runs;
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::reconcile, 0, 30, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
    }

    void reconcile() {
        try {
            long now = System.currentTimeMillis();
            long cutoff = now - MIN_AGE_MILLIS;
            for (RunRow run : jdbi.onDemand(RunDao.class).queuedUnowned(now - SCHEDULED_MIN_AGE_MILLIS)) {
                if (run.createdAt() < cutoff) {
                    runs.start(run);
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot reconcile queued runs now: {}", e.getMessage());
        }
    }
}
