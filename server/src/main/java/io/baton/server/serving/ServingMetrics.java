package io.baton.server.serving;

import io.baton.common.Daemons;
import io.baton.server.core.Ids;
import io.baton.server.db.EndpointMetricDao;
import io.baton.server.db.EndpointMetricRow;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's requests, errors and latencies per endpoint, model version and 10-second bucket, added up in memory
 * and written every few seconds as this server's rows (one writer per row), so that several servers add up.
 */
public final class ServingMetrics implements Managed {
    public static final long BUCKET_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ServingMetrics.class);
    private static final long PRUNE_EVERY_MILLIS = 600_000;

    private final Jdbi jdbi;
    private final ServingSettings settings;
    /** This process's name in the rows it writes: a fresh one each start, so that no two writers share a row. */
    private final String server = Ids.newId();

    private final Map<Key, Cell> cells = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;
    private long prunedAt;

    private record Key(String endpointId, int version, long bucket) {}

    private static final class Cell {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.SIZE);
        volatile boolean dirty;
    }

    public ServingMetrics(Jdbi jdbi, ServingSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
    }

    /** Counts one answered request (an error: a 5xx, the replica's or the proxy's own). */
    public void record(String endpointId, int version, long nanos, boolean error) {
        long bucket = System.currentTimeMillis() / BUCKET_MILLIS * BUCKET_MILLIS;
        Cell cell = cells.computeIfAbsent(new Key(endpointId, version, bucket), k -> new Cell());
        cell.requests.increment();
        if (error) {
            cell.errors.increment();
        }
        LatencyHistogram.count(cell.latency, nanos);
        cell.dirty = true;
    }

    /** Writes every bucket counted into since the last flush, and forgets buckets that can no longer change. */
    public synchronized void flush() {
        long oldest = System.currentTimeMillis() - 3 * BUCKET_MILLIS;
        List<EndpointMetricRow> rows = new ArrayList<>();
        for (Map.Entry<Key, Cell> e : cells.entrySet()) {
            Key k = e.getKey();
            Cell c = e.getValue();
            if (c.dirty) {
                c.dirty = false; // before reading: a request counted meanwhile marks it again
                rows.add(new EndpointMetricRow(
                        k.endpointId(),
                        k.version(),
                        k.bucket(),
                        server,
                        c.requests.sum(),
                        c.errors.sum(),
                        LatencyHistogram.of(c.latency).toJson()));
            } else if (k.bucket() < oldest) {
                cells.remove(k);
            }
        }
        if (!rows.isEmpty()) {
            jdbi.useTransaction(h -> {
                EndpointMetricDao dao = h.attach(EndpointMetricDao.class);
                for (EndpointMetricRow row : rows) {
                    if (dao.update(row) == 0) {
                        dao.insert(row);
                    }
                }
            });
        }
    }

    private void flushAndPrune() {
        try {
            flush();
            long now = System.currentTimeMillis();
            if (now - prunedAt > PRUNE_EVERY_MILLIS) {
                prunedAt = now;
                long before = now - Duration.ofHours(settings.metricsKeepHours).toMillis();
                jdbi.useExtension(EndpointMetricDao.class, dao -> dao.deleteBefore(before));
            }
        } catch (RuntimeException e) {
            // the counts stay in memory (marked again below) and are written at the next flush
            cells.values().forEach(c -> c.dirty = true);
            log.warn("could not write the endpoints' request counts; retrying at the next flush", e);
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(Daemons.named("serving-metrics"));
        flusher.scheduleWithFixedDelay(
                this::flushAndPrune, settings.metricsFlushMillis, settings.metricsFlushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        if (flusher != null) {
            flusher.shutdown();
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        }
        flushAndPrune();
    }
}
