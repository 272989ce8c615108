package io.baton.server.schedules;

import io.baton.common.Daemons;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.ScheduleRow;
import io.dropwizard.lifecycle.Managed;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps schedules' rows and Temporal Schedules one to one (on start and every 30 s: a server that died between the
 * two writes), and fires data triggers: on each new dataset version, and for versions a crash kept from firing.
 */
public final class ScheduleReconciler implements Managed {
    private static final Logger log = LoggerFactory.getLogger(ScheduleReconciler.class);
    /** A row younger than this may still be between its insert and its Temporal schedule's creation. */
    private static final long SETTLE_MILLIS = 10_000;

    private final Jdbi jdbi;
    private final TemporalSchedules temporal;
    private final ScheduleChecks checks;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("schedule-reconciler"));

    public ScheduleReconciler(Jdbi jdbi, TemporalSchedules temporal, ScheduleChecks checks) {
        this.jdbi = jdbi;
        this.temporal = temporal;
        this.checks = checks;
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::reconcile, 0, 30, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
    }

    /** The dataset registry's hook, after a new version's transaction committed: fires its data triggers. */
    public void datasetVersionCreated(String project, String dataset, int version) {
        timer.execute(() -> {
            for (ScheduleRow row : jdbi.onDemand(ScheduleDao.class).onDataset(project + "/" + dataset)) {
                fire(row);
            }
        });
    }

    private void fire(ScheduleRow row) {
        try {
            temporal.trigger(row.id(), row.overlap());
        } catch (RuntimeException e) {
            log.warn("cannot trigger schedule {} now ({}); the reconciler will", row.name(), e.getMessage());
        }
    }

    void reconcile() {
        try {
            // Temporal's list first, then the rows: a schedule listed without a row was deleted (rows come first)
            Set<String> inTemporal = temporal.ids();
            var rows = jdbi.onDemand(ScheduleDao.class).all();
            Set<String> known = new HashSet<>();
            long settled = System.currentTimeMillis() - SETTLE_MILLIS;
            for (ScheduleRow row : rows) {
                known.add(row.id());
                if (!inTemporal.contains(row.id()) && row.updatedAt() < settled) {
                    log.info("schedule {}/{} has no Temporal schedule; creating it", row.project(), row.name());
                    temporal.ensure(row);
                }
                if (row.onDataset() != null) {
                    Integer latest = checks.latestVersion(row.onDataset());
                    boolean behind =
                            latest != null && (row.lastDatasetVersion() == null || latest > row.lastDatasetVersion());
                    if (behind
                            && row.lastProblem() == null
                            && temporal.describe(row.id()).runningActions() == 0) {
                        fire(row);
                    }
                }
            }
            for (String id : inTemporal) {
                if (!known.contains(id)) {
                    log.info("Temporal schedule of deleted schedule {} removed", id);
                    temporal.delete(id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot reconcile schedules now: {}", e.getMessage());
        }
    }
}
