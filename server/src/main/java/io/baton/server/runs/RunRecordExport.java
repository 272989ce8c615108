package io.baton.server.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.protocol.SecretNames;
import io.baton.server.api.AttemptView;
import io.baton.server.api.MetricsView;
import io.baton.server.api.RunView;
import io.baton.server.api.StepView;
import io.baton.server.core.Json;
import io.baton.server.db.ArtifactDao;
import io.baton.server.db.ArtifactRow;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.AttemptEnvironmentRow;
import io.baton.server.db.AttemptValueRow;
import io.baton.server.db.BundleDao;
import io.baton.server.db.MlflowTrackingDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.StepInputDao;
import io.baton.server.db.StepInputRow;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.InputPlan;
import io.baton.workflows.RunPlan;
import io.baton.workflows.RunStatus;
import io.baton.workflows.StepPlan;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** A run's whole record as one document ({@code GET /api/v1/runs/{id}/record}); final once the run has ended. */
public final class RunRecordExport {
    private final Jdbi jdbi;
    private final RunQueries views;

    public RunRecordExport(Jdbi jdbi, RunQueries views) {
        this.jdbi = jdbi;
        this.views = views;
    }

    public Map<String, Object> record(String runId) {
        // one transaction: the run, its steps and attempts are read as of one moment (a record that says final has
        // its end), and the run's row once
        return jdbi.inTransaction(h -> {
            RunRow row = RunQueries.row(h, runId);
            RunView run = views.view(h, row);
            RunPlan plan = Json.read(row.plan(), RunPlan.class);
            Map<String, List<Map<String, Object>>> staged = stagedInputs(h, runId);
            Map<String, Map<String, Object>> attempts = attemptEnvironments(h, runId);
            Map<String, Map<String, Map<String, Object>>> metrics = metricSummaries(views.metrics(runId));
            Map<String, List<ArtifactRef>> outputs = attemptOutputs(h, runId);
            Map<String, Map<String, Map<String, String>>> logged = mlflowLogged(h, runId);

            Map<String, Object> record = new LinkedHashMap<>();
            record.put("run", run);
            record.put("final", RunStatus.valueOf(run.status()).terminal());
            record.put("pipeline", Json.object("name", row.pipeline(), "version", row.pipelineVersion()));
            record.put("spec", row.spec());
            record.put("specSha256", row.specSha256());
            record.put(
                    "bundle",
                    row.bundle() == null
                            ? null
                            : h.attach(BundleDao.class)
                                    .find(row.bundle())
                                    .map(b -> Json.object(
                                            "sha256", b.sha256(), "size", b.sizeBytes(), "files", b.files()))
                                    .orElse(Json.object("sha256", row.bundle())));
            record.put("parameters", run.parameters());
            record.put("inputs", inputs(plan, staged));
            List<Map<String, Object>> steps = new ArrayList<>();
            for (StepView step : run.steps()) {
                StepPlan planned = plan.step(step.name()).orElse(null);
                steps.add(step(runId, step, planned, staged, attempts, metrics, outputs, logged, row));
            }
            record.put("environment", environmentSummary(attempts));
            record.put("hardware", hardwareSummary(attempts));
            record.put("steps", steps);
            record.put("createdBy", row.createdBy());
            record.put("createdAt", run.createdAt());
            record.put("finishedAt", run.finishedAt());
            record.put("trigger", trigger(row, h.attach(ScheduleDao.class).triggerInfo(runId)));
            return record;
        });
    }

    /**
     * What started the run: a schedule's fire or a data trigger ({@code triggerInfo}, as the schedule recorded it), a
     * user's submission, a resume of run X or a reproduction of run Y.
     */
    static Map<String, Object> trigger(RunRow row, String triggerInfo) {
        if (triggerInfo != null) {
            Map<String, Object> trigger = Json.read(triggerInfo, new TypeReference<LinkedHashMap<String, Object>>() {});
            trigger.put("by", row.createdBy());
            return trigger;
        }
        return trigger(row);
    }

    static Map<String, Object> trigger(RunRow row) {
        if (row.reproducedFrom() != null) {
            return Json.object("kind", "reproduce", "by", row.createdBy(), "run", row.reproducedFrom());
        }
        if (row.resumedFrom() != null) {
            return Json.object("kind", "resume", "by", row.createdBy(), "run", row.resumedFrom());
        }
        return Json.object("kind", "user", "by", row.createdBy());
    }

    /** Each input of each planned step: as written, what it resolved to, and the files given to the step. */
    private static List<Map<String, Object>> inputs(RunPlan plan, Map<String, List<Map<String, Object>>> staged) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (StepPlan step : plan.steps()) {
            for (InputPlan input : step.inputs()) {
                List<Map<String, Object>> files = staged.getOrDefault(step.name() + "\n" + input.name(), List.of());
                if (files.isEmpty() && !input.fromSteps()) {
                    files = input.knownFiles().stream()
                            .map(f -> Json.object(
                                    "path",
                                    f.path(),
                                    "sha256",
                                    f.sha256(),
                                    "size",
                                    f.size(),
                                    "source",
                                    input.knownSource()))
                            .toList();
                }
                inputs.add(Json.object(
                        "step",
                        step.name(),
                        "input",
                        input.name(),
                        "reference",
                        input.reference(),
                        "resolved",
                        input.fromSteps() ? null : input.knownSource(),
                        "files",
                        files));
            }
        }
        return inputs;
    }

    private Map<String, Object> step(
            String runId,
            StepView step,
            StepPlan planned,
            Map<String, List<Map<String, Object>>> staged,
            Map<String, Map<String, Object>> environments,
            Map<String, Map<String, Map<String, Object>>> metrics,
            Map<String, List<ArtifactRef>> outputs,
            Map<String, Map<String, Map<String, String>>> logged,
            RunRow row) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", step.name());
        s.put("status", step.status());
        s.put("reason", step.reason());
        if (planned != null) {
            s.put("command", planned.command());
            s.put("image", planned.image());
            s.put("env", SecretNames.redacted(planned.env())); // as each attempt's recorded environment shows it
            if (!planned.secrets().isEmpty()) {
                s.put("secrets", planned.secrets()); // the project's secrets it was given: names, never values
            }
            s.put("pool", planned.pool());
            s.put(
                    "resources",
                    Json.object("cpus", planned.cpus(), "memoryBytes", planned.memoryBytes(), "gpus", planned.gpus()));
            s.put("register", planned.register());
        }
        s.put("cachedFrom", step.cachedFrom());
        s.put("reusedFrom", "REUSED".equals(step.status()) ? row.resumedFrom() : null);
        s.put("approval", step.approval());
        List<Map<String, Object>> inputs = new ArrayList<>();
        staged.forEach((key, files) -> {
            if (key.startsWith(step.name() + "\n")) {
                inputs.addAll(files.stream()
                        .map(f -> {
                            Map<String, Object> withName = new LinkedHashMap<>(f);
                            withName.put("input", key.substring(step.name().length() + 1));
                            return withName;
                        })
                        .toList());
            }
        });
        s.put("inputs", inputs);
        s.put("outputs", step.outputs());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (AttemptView a : step.attempts()) {
            String key = step.name() + "\n" + a.number();
            Map<String, Object> env = environments.getOrDefault(key, Map.of());
            Map<String, Object> attempt = new LinkedHashMap<>();
            attempt.put("number", a.number());
            attempt.put("status", a.status());
            attempt.put("worker", a.worker());
            attempt.put("exitCode", a.exitCode());
            attempt.put("message", a.message());
            attempt.put("startedAt", a.startedAt());
            attempt.put("finishedAt", a.finishedAt());
            attempt.put(
                    "logs",
                    Json.object(
                            "url",
                            "/api/v1/runs/" + runId + "/steps/" + segment(step.name()) + "/logs?attempt=" + a.number(),
                            "bytes",
                            env.get("logBytes")));
            attempt.put("metrics", metrics.getOrDefault(key, Map.of()));
            attempt.put("outputs", outputs.getOrDefault(key, List.of()));
            if (logged.containsKey(key)) {
                attempt.put("mlflow", logged.get(key)); // the params and tags its step logged through MLflow
            }
            attempt.put("environment", env.get("environment"));
            attempt.put("hardware", env.get("hardware"));
            attempts.add(attempt);
        }
        s.put("attempts", attempts);
        return s;
    }

    private static Map<String, List<Map<String, Object>>> stagedInputs(Handle h, String runId) {
        Map<String, List<Map<String, Object>>> staged = new LinkedHashMap<>();
        for (StepInputRow in : h.attach(StepInputDao.class).ofRun(runId)) {
            staged.computeIfAbsent(in.step() + "\n" + in.inputName(), k -> new ArrayList<>())
                    .add(Json.object(
                            "path",
                            in.producer().isEmpty() ? in.path() : in.producer() + "/" + in.path(),
                            "sha256",
                            in.sha256(),
                            "size",
                            in.sizeBytes(),
                            "source",
                            in.source()));
        }
        return staged;
    }

    /** Each attempt's environment and hardware as its worker reported them, and its log size. */
    private static Map<String, Map<String, Object>> attemptEnvironments(Handle h, String runId) {
        Map<String, Map<String, Object>> byAttempt = new LinkedHashMap<>();
        for (AttemptEnvironmentRow a : h.attach(AttemptDao.class).environmentsOfRun(runId)) {
            byAttempt.put(
                    a.step() + "\n" + a.number(),
                    Json.object(
                            "environment",
                            json(a.environment()),
                            "hardware",
                            json(a.hardware()),
                            "logBytes",
                            a.logBytes()));
        }
        return byAttempt;
    }

    private static Object json(String text) {
        return text == null ? null : Json.read(text, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    /** Per attempt: the params and tags its step logged through MLflow's tracking API (docs/mlflow.md). */
    private static Map<String, Map<String, Map<String, String>>> mlflowLogged(Handle h, String runId) {
        Map<String, Map<String, Map<String, String>>> logged = new LinkedHashMap<>();
        MlflowTrackingDao dao = h.attach(MlflowTrackingDao.class);
        for (String kind : List.of("params", "tags")) {
            for (AttemptValueRow r :
                    kind.equals("params") ? dao.paramsOfRuns(List.of(runId)) : dao.tagsOfRuns(List.of(runId))) {
                logged.computeIfAbsent(r.step() + "\n" + r.attempt(), k -> {
                            Map<String, Map<String, String>> both = new LinkedHashMap<>();
                            both.put("params", new TreeMap<>());
                            both.put("tags", new TreeMap<>());
                            return both;
                        })
                        .get(kind)
                        .put(r.name(), r.itemValue());
            }
        }
        return logged;
    }

    private static Map<String, List<ArtifactRef>> attemptOutputs(Handle h, String runId) {
        Map<String, List<ArtifactRef>> outputs = new LinkedHashMap<>();
        for (ArtifactRow a : h.attach(ArtifactDao.class).ofRun(runId)) {
            outputs.computeIfAbsent(a.step() + "\n" + a.attempt(), k -> new ArrayList<>())
                    .add(new ArtifactRef(a.path(), a.sha256(), a.sizeBytes()));
        }
        return outputs;
    }

    /** Per attempt and metric: how many points, the first, last, lowest and highest value. */
    static Map<String, Map<String, Map<String, Object>>> metricSummaries(MetricsView metrics) {
        Map<String, Map<String, Map<String, Object>>> summaries = new LinkedHashMap<>();
        for (MetricsView.Series series : metrics.series()) {
            if (series.points().isEmpty()) {
                continue;
            }
            var values = series.points().stream()
                    .mapToDouble(MetricsView.Point::value)
                    .summaryStatistics();
            summaries
                    .computeIfAbsent(series.step() + "\n" + series.attempt(), k -> new LinkedHashMap<>())
                    .put(
                            series.name(),
                            Json.object(
                                    "count",
                                    values.getCount(),
                                    "first",
                                    series.points().get(0).value(),
                                    "last",
                                    series.points()
                                            .get(series.points().size() - 1)
                                            .value(),
                                    "min",
                                    values.getMin(),
                                    "max",
                                    values.getMax()));
        }
        return summaries;
    }

    /** The distinct environments the run's attempts ran in: Baton versions, images, operating systems, Pythons. */
    private static Map<String, Object> environmentSummary(Map<String, Map<String, Object>> attempts) {
        Set<Object> baton = new LinkedHashSet<>();
        Set<Object> images = new LinkedHashSet<>();
        Set<Object> os = new LinkedHashSet<>();
        Set<Object> python = new LinkedHashSet<>();
        for (Map<String, Object> a : attempts.values()) {
            if (a.get("environment") instanceof Map<?, ?> env) {
                baton.add(env.get("batonVersion"));
                images.add(env.get("image"));
                os.add(env.get("os"));
                python.add(env.get("python") instanceof Map<?, ?> p ? p.get("version") : null);
            }
        }
        return Json.object(
                "batonVersions",
                nonNull(baton),
                "images",
                nonNull(images),
                "os",
                nonNull(os),
                "pythonVersions",
                nonNull(python));
    }

    /** The distinct machines the run's attempts ran on. */
    private static List<Object> hardwareSummary(Map<String, Map<String, Object>> attempts) {
        return nonNull(attempts.values().stream()
                .map(a -> a.get("hardware"))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    private static List<Object> nonNull(Set<Object> values) {
        return values.stream().filter(Objects::nonNull).toList();
    }

    private static String segment(String step) {
        return URLEncoder.encode(step, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
