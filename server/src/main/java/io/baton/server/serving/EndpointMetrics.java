package io.baton.server.serving;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.EndpointMetricsView;
import io.baton.server.auth.Caller;
import io.baton.server.db.EndpointMetricDao;
import io.baton.server.db.EndpointMetricRow;
import io.baton.server.db.EndpointRouteDao;
import io.baton.server.db.EndpointRouteRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/** An endpoint's traffic per model version over the last minute, 15 minutes and hour, summed across servers. */
public final class EndpointMetrics {
    private static final Map<String, Duration> WINDOWS =
            Map.of("1m", Duration.ofMinutes(1), "15m", Duration.ofMinutes(15), "1h", Duration.ofHours(1));
    private static final List<String> ORDER = List.of("1m", "15m", "1h");

    private final Jdbi jdbi;
    private final Access access;
    private final ServingMetrics metrics;

    public EndpointMetrics(Jdbi jdbi, Access access, ServingMetrics metrics) {
        this.jdbi = jdbi;
        this.access = access;
        this.metrics = metrics;
    }

    private static final class Sum {
        long requests;
        long errors;
        final LatencyHistogram latency = LatencyHistogram.empty();
    }

    public EndpointMetricsView of(Caller caller, String project, String name) {
        access.require(caller, project, Permission.READ, () -> ServeProxy.noEndpoint(project, name));
        EndpointRouteRow endpoint = jdbi.withExtension(EndpointRouteDao.class, dao -> dao.find(project, name))
                .orElseThrow(() -> ServeProxy.noEndpoint(project, name));
        metrics.flush(); // this server's latest counts too
        long now = System.currentTimeMillis();
        long bucket = ServingMetrics.BUCKET_MILLIS;
        // a window is its whole buckets: the current one (partly counted) and those before, back to now - window
        Map<String, Long> from = new TreeMap<>();
        long earliest = now;
        for (String w : ORDER) {
            long start = (now - WINDOWS.get(w).toMillis()) / bucket * bucket + bucket;
            from.put(w, start);
            earliest = Math.min(earliest, start);
        }
        long since = earliest;
        List<EndpointMetricRow> rows =
                jdbi.withExtension(EndpointMetricDao.class, dao -> dao.since(endpoint.id(), since));
        List<EndpointMetricsView.Window> windows = new ArrayList<>();
        for (String w : ORDER) {
            Map<Integer, Sum> byVersion = new TreeMap<>();
            for (EndpointMetricRow r : rows) {
                if (r.bucket() >= from.get(w)) {
                    Sum s = byVersion.computeIfAbsent(r.version(), v -> new Sum());
                    s.requests += r.requests();
                    s.errors += r.errors();
                    s.latency.add(LatencyHistogram.fromJson(r.latency()));
                }
            }
            List<EndpointMetricsView.Version> versions = new ArrayList<>();
            byVersion.forEach((v, s) -> versions.add(new EndpointMetricsView.Version(
                    v,
                    s.requests,
                    s.errors,
                    s.requests == 0 ? 0 : round((double) s.errors / s.requests, 4),
                    rounded(s.latency.percentile(0.5)),
                    rounded(s.latency.percentile(0.99)))));
            windows.add(new EndpointMetricsView.Window(w, Instant.ofEpochMilli(from.get(w)), versions));
        }
        return new EndpointMetricsView(name, project, (int) (bucket / 1000), windows);
    }

    private static Double rounded(Double ms) {
        return ms == null ? null : round(ms, 3);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
