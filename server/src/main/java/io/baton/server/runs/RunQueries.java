package io.baton.server.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.api.ArtifactView;
import io.baton.server.api.AttemptView;
import io.baton.server.api.MetricsView;
import io.baton.server.api.Page;
import io.baton.server.api.RunView;
import io.baton.server.api.StepView;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.core.PageLimits;
import io.baton.server.db.ApprovalDao;
import io.baton.server.db.ApprovalRow;
import io.baton.server.db.ArtifactDao;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.AttemptRow;
import io.baton.server.db.LastMetricRow;
import io.baton.server.db.ListCursors;
import io.baton.server.db.ListCursors.RunPosition;
import io.baton.server.db.MetricDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunListQuery;
import io.baton.server.db.RunRow;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.server.metrics.MetricsWriter;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads runs for the API: a run with its steps and attempts, pages of runs, metric series. */
public final class RunQueries {
    private final Jdbi jdbi;
    private final String temporalUiUrl;
    private final String namespace;

    /** How many workers of a pool are online, for the reason a pending step gives. */
    private final Supplier<Map<String, Integer>> onlineByPool;

    /** Queries that know of no online worker (a pending step's reason then names no pool). */
    public RunQueries(Jdbi jdbi, String temporalUiUrl, String namespace) {
        this(jdbi, temporalUiUrl, namespace, Map::of);
    }

    /** {@code onlineByPool}: how many workers of each pool are online now. */
    public RunQueries(Jdbi jdbi, String temporalUiUrl, String namespace, Supplier<Map<String, Integer>> onlineByPool) {
        this.jdbi = jdbi;
        this.temporalUiUrl = temporalUiUrl == null ? "" : temporalUiUrl.replaceAll("/+$", "");
        this.namespace = namespace;
        this.onlineByPool = onlineByPool;
    }

    public RunView run(String id) {
        return jdbi.withHandle(h -> view(h, row(h, id)));
    }

    /** The run's row; 404 when unknown. */
    static RunRow row(Handle h, String id) {
        return h.attach(RunDao.class).find(id).orElseThrow(() -> noRun(id));
    }

    private static BatonException noRun(String id) {
        return BatonException.notFound("no run with id '" + id + "'");
    }

    /** The view of a run whose row was read on {@code h} (a caller that needs the row too reads it once). */
    RunView view(Handle h, RunRow row) {
        return views(h, List.of(row)).get(0);
    }

    /** Filters of {@code GET /api/v1/runs}; null means no filter. {@code projects}: those the caller may read. */
    public record RunFilter(
            String project,
            String pipeline,
            String status,
            String createdBy,
            Instant since,
            Instant until,
            List<String> projects) {
        public RunFilter(
                String project, String pipeline, String status, String createdBy, Instant since, Instant until) {
            this(project, pipeline, status, createdBy, since, until, null);
        }
    }

    /** A page of runs in the search's order (newest first by default), after {@code cursor} when given. */
    public Page<RunView> list(RunFilter filter, RunSearch search, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        if (filter.status() != null) {
            try {
                RunStatus.valueOf(filter.status());
            } catch (IllegalArgumentException e) {
                throw BatonException.badRequest(
                        "'status' must be one of QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED");
            }
        }
        RunSort sort = search.sort();
        RunPosition after = ListCursors.runPosition(cursor, sort.text(), sort.byMetric(), BatonException::badRequest);
        RunListQuery query = new RunListQuery(
                new RunListQuery.Filter(
                        filter.project(),
                        filter.pipeline(),
                        filter.status(),
                        filter.createdBy(),
                        filter.since() == null ? null : filter.since().toEpochMilli(),
                        filter.until() == null ? null : filter.until().toEpochMilli(),
                        filter.projects()),
                conditions(search.params()),
                conditions(search.metrics()),
                new RunListQuery.Sort(sort.metric(), sort.ascending()),
                after == null ? null : new RunListQuery.After(after.value(), after.id()),
                n + 1);
        return jdbi.withHandle(h -> {
            List<RunListQuery.Ranked> rows = query.list(h);
            String next = null;
            if (rows.size() > n) {
                RunListQuery.Ranked last = rows.get(n - 1);
                next = ListCursors.encode(new RunPosition(
                        sort.text(), last.sortValue(), last.run().id()));
            }
            List<RunRow> page =
                    rows.stream().limit(n).map(RunListQuery.Ranked::run).toList();
            return new Page<>(views(h, page), next);
        });
    }

    private static List<RunListQuery.Condition> conditions(List<ValueFilter> filters) {
        return filters.stream()
                .map(f -> new RunListQuery.Condition(f.name(), f.op().sql(), f.number(), f.text()))
                .toList();
    }

    private List<RunView> views(Handle h, List<RunRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(RunRow::id).toList();
        Map<String, List<StepRow>> steps =
                h.attach(StepDao.class).ofRuns(ids).stream().collect(Collectors.groupingBy(StepRow::runId));
        List<AttemptRow> attemptRows = h.attach(AttemptDao.class).ofRuns(ids);
        Map<String, List<AttemptRow>> attempts =
                attemptRows.stream().collect(Collectors.groupingBy(a -> a.runId() + "\n" + a.step()));
        // The run's row is read before its steps and attempts, each in a snapshot of its own: a first attempt that
        // started in between would show a QUEUED run with a RUNNING step. A run with an attempt has started.
        Map<String, Long> firstStart =
                attemptRows.stream().collect(Collectors.toMap(AttemptRow::runId, AttemptRow::startedAt, Math::min));
        Map<String, String> triggers = h.attach(ScheduleDao.class).triggerInfos(ids);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (LastMetricRow m : h.attach(MetricDao.class).lastOfRuns(ids)) {
            metrics.computeIfAbsent(m.runId(), k -> new LinkedHashMap<>()).put(m.name(), m.metricValue());
        }
        Map<String, StepView.ApprovalView> approvals = new LinkedHashMap<>();
        for (ApprovalRow a : h.attach(ApprovalDao.class).ofRuns(ids)) {
            approvals.put(
                    a.runId() + "\n" + a.step(),
                    new StepView.ApprovalView(
                            a.approved(), a.decidedBy(), a.note(), Instant.ofEpochMilli(a.decidedAt())));
        }
        // only a step still PENDING, of a run still going, can be waiting for a worker: the workers are read for those
        boolean pending = rows.stream()
                .anyMatch(r -> !RunStatus.valueOf(r.status()).terminal()
                        && steps.getOrDefault(r.id(), List.of()).stream().anyMatch(s -> "PENDING".equals(s.status())));
        Map<String, Integer> online = pending ? onlineByPool.get() : null;
        List<RunView> views = new ArrayList<>();
        for (RunRow r : rows) {
            List<StepView> stepViews = steps.getOrDefault(r.id(), List.of()).stream()
                    .map(s -> new StepView(
                            s.name(),
                            s.status(),
                            reason(s, online),
                            s.pool(),
                            s.exitCode(),
                            time(s.startedAt()),
                            time(s.finishedAt()),
                            s.outputs() == null
                                    ? List.of()
                                    : Json.read(s.outputs(), new TypeReference<List<ArtifactRef>>() {}),
                            s.cachedFrom(),
                            approvals.get(r.id() + "\n" + s.name()),
                            attempts.getOrDefault(r.id() + "\n" + s.name(), List.of()).stream()
                                    .map(a -> new AttemptView(
                                            a.number(),
                                            a.status(),
                                            a.worker(),
                                            a.exitCode(),
                                            a.message(),
                                            time(a.startedAt()),
                                            time(a.finishedAt())))
                                    .toList()))
                    .toList();
            Long started = r.startedAt() != null ? r.startedAt() : firstStart.get(r.id());
            String status = RunStatus.QUEUED.name().equals(r.status()) && started != null
                    ? RunStatus.RUNNING.name()
                    : r.status();
            views.add(new RunView(
                    r.id(),
                    r.project(),
                    r.pipeline(),
                    r.pipelineVersion(),
                    status,
                    r.workflowId(),
                    temporalUrl(r.workflowId()),
                    r.bundle(),
                    RunService.parameters(r.parameters()),
                    r.priority(),
                    r.createdBy(),
                    r.createdById(),
                    time(r.createdAt()),
                    time(started),
                    time(r.finishedAt()),
                    r.message(),
                    r.resumedFrom(),
                    r.reproducedFrom(),
                    metrics.getOrDefault(r.id(), Map.of()),
                    stepViews,
                    RunRecordExport.trigger(r, triggers.get(r.id()))));
        }
        return views;
    }

    /** Writes {@code GET /api/v1/runs/{id}/metrics} to {@code out}. */
    public void writeMetrics(String runId, OutputStream out) throws IOException {
        new MetricsWriter(jdbi).write(runId, out);
    }

    /** 404 unless the run exists; cheaper than reading it. */
    public void requireRun(String runId) {
        if (jdbi.onDemand(RunDao.class).count(runId) == 0) {
            throw noRun(runId);
        }
    }

    public MetricsView metrics(String runId) {
        requireRun(runId);
        return new MetricsWriter(jdbi).view(runId);
    }

    public Page<ArtifactView> artifacts(String runId) {
        requireRun(runId);
        return new Page<>(
                jdbi.onDemand(ArtifactDao.class).ofRun(runId).stream()
                        .map(a -> new ArtifactView(a.step(), a.attempt(), a.path(), a.sha256(), a.sizeBytes()))
                        .toList(),
                null);
    }

    public String temporalUrl(String workflowId) {
        return temporalUiUrl.isEmpty() ? null : temporalUiUrl + "/namespaces/" + namespace + "/workflows/" + workflowId;
    }

    /** A pending step of a pool without an online worker says so. */
    private static String reason(StepRow step, Map<String, Integer> online) {
        if (online != null
                && step.reason() == null
                && "PENDING".equals(step.status())
                && online.getOrDefault(step.pool(), 0) == 0) {
            return "waiting for pool " + step.pool() + ": 0 workers online";
        }
        return step.reason();
    }

    static Instant time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
