package io.baton.server.mlflow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.common.Hashing;
import io.baton.pipeline.Parameters;
import io.baton.protocol.MlflowRunIds;
import io.baton.protocol.PackedPoints;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Json;
import io.baton.server.db.ArtifactRow;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.AttemptRow;
import io.baton.server.db.AttemptValueRow;
import io.baton.server.db.MetricChunkRow;
import io.baton.server.db.MetricDao;
import io.baton.server.db.MlflowTrackingDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.metrics.MetricIngest;
import io.baton.server.mlflow.MlflowMessages.FileInfo;
import io.baton.server.mlflow.MlflowMessages.Tag;
import io.baton.server.mlflow.TrackingMessages.BatchMetric;
import io.baton.server.mlflow.TrackingMessages.Experiment;
import io.baton.server.mlflow.TrackingMessages.Experiments;
import io.baton.server.mlflow.TrackingMessages.Metric;
import io.baton.server.mlflow.TrackingMessages.Metrics;
import io.baton.server.mlflow.TrackingMessages.Param;
import io.baton.server.mlflow.TrackingMessages.Run;
import io.baton.server.mlflow.TrackingMessages.RunData;
import io.baton.server.mlflow.TrackingMessages.RunInfo;
import io.baton.server.mlflow.TrackingMessages.Runs;
import io.baton.server.mlflow.TrackingMessages.SearchRunsRequest;
import io.baton.server.registry.RegistryAccess;
import io.baton.server.registry.RegistryFiles;
import io.baton.workflows.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * MLflow's tracking API over Baton's runs: a pipeline is an experiment, each attempt of a step an MLflow run (its id
 * from {@link MlflowRunIds}). A step's attempt token logs metrics (into the attempt's series, as its JSON lines do),
 * parameters and tags into its own attempt while it runs; users read.
 */
public final class MlflowTracking {
    /** Metric batches from MLflow's routes are numbered apart from the worker's and the step token's. */
    static final long MLFLOW_BATCHES = 1L << 41;

    static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT = "Default";
    private static final int MAX_KEY = 250;
    private static final int MAX_PARAM = 6000;
    private static final int MAX_TAG = 8000;
    private static final int MAX_BATCH_METRICS = 1000;
    private static final int MAX_BATCH_PARAMS = 100;
    private static final int MAX_BATCH_TAGS = 100;
    /** The newest runs of the experiments asked that {@code runs/search} looks through. */
    static final int SEARCHED_RUNS = 500;

    private static final int MAX_RESULTS = 1000;
    /** Where the files a step logs through MLflow lie among its attempt's outputs. */
    static final String ARTIFACTS = "mlflow/";

    private final Jdbi jdbi;
    private final RegistryAccess access;
    private final BlobStore blobs;

    public MlflowTracking(Jdbi jdbi, RegistryAccess access, BlobStore blobs) {
        this.jdbi = jdbi;
        this.access = access;
        this.blobs = blobs;
    }

    /** One attempt of a step of a run: an MLflow run. */
    private record Attempt(RunRow run, AttemptRow attempt) {
        String id() {
            return MlflowRunIds.of(run.id(), attempt.step(), attempt.number());
        }
    }

    // ---- writes: a step's own attempt token, into its running attempt ----

    public void logMetric(Caller caller, String project, String runId, String key, Double value, Long time, Long step) {
        logBatch(caller, project, runId, List.of(new BatchMetric(key, value, time, step)), List.of(), List.of());
    }

    public void logParam(Caller caller, String project, String runId, String key, String value) {
        logBatch(caller, project, runId, List.of(), List.of(new Param(key, value)), List.of());
    }

    public void setTag(Caller caller, String project, String runId, String key, String value) {
        logBatch(caller, project, runId, List.of(), List.of(), List.of(new Tag(key, value)));
    }

    /** Checks everything first, then writes all of it in one transaction, or nothing. */
    public void logBatch(
            Caller caller,
            String project,
            String runId,
            List<BatchMetric> metrics,
            List<Param> params,
            List<Tag> tags) {
        List<BatchMetric> ms = metrics == null ? List.of() : metrics;
        List<Param> ps = params == null ? List.of() : params;
        List<Tag> ts = tags == null ? List.of() : tags;
        if (ms.size() > MAX_BATCH_METRICS || ps.size() > MAX_BATCH_PARAMS || ts.size() > MAX_BATCH_TAGS) {
            throw BatonException.badRequest("a batch holds at most " + MAX_BATCH_METRICS + " metrics, "
                    + MAX_BATCH_PARAMS + " params and " + MAX_BATCH_TAGS + " tags");
        }
        Map<String, String> paramValues = new LinkedHashMap<>();
        for (Param p : ps) {
            String key = checkKey(p == null ? null : p.key(), "param");
            String value = checkValue(p.value(), MAX_PARAM, "param '" + key + "'");
            String before = paramValues.putIfAbsent(key, value);
            if (before != null && !before.equals(value)) {
                throw BatonException.badRequest("param '" + key + "' is given twice with different values");
            }
        }
        Map<String, String> tagValues = new LinkedHashMap<>();
        for (Tag t : ts) {
            String key = checkKey(t == null ? null : t.key(), "tag");
            tagValues.put(key, checkValue(t.value(), MAX_TAG, "tag '" + key + "'"));
        }
        Map<String, String> packed = pack(ms);
        List<MetricIngest.Series> series = MetricIngest.check(packed);
        Attempt a = writable(caller, project, runId);
        String run = a.run().id();
        String step = a.attempt().step();
        int number = a.attempt().number();
        jdbi.useTransaction(h -> {
            MlflowTrackingDao dao = h.attach(MlflowTrackingDao.class);
            requireRunning(h, dao, a);
            if (!paramValues.isEmpty()) {
                Map<String, String> logged = new HashMap<>();
                dao.params(run, step, number, List.copyOf(paramValues.keySet()))
                        .forEach(r -> logged.put(r.name(), r.itemValue()));
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                paramValues.forEach((key, value) -> {
                    String old = logged.get(key);
                    if (old != null && !old.equals(value)) {
                        throw BatonException.badRequest("Changing param values is not allowed. Param with key='" + key
                                + "' was already logged with value='" + abbreviate(old)
                                + "' for run ID='" + runId + "'. Attempted logging new value '"
                                + abbreviate(value) + "'.");
                    }
                    if (old == null) {
                        names.add(key);
                        values.add(value);
                    }
                });
                if (!names.isEmpty()) {
                    dao.insertParams(run, step, number, names, values);
                }
            }
            if (!tagValues.isEmpty()) {
                List<String> names = List.copyOf(tagValues.keySet());
                dao.deleteTags(run, step, number, names);
                dao.insertTags(run, step, number, names, List.copyOf(tagValues.values()));
            }
            if (!series.isEmpty()) {
                long batch = dao.nextBatch(run, step, number, MLFLOW_BATCHES);
                MetricIngest.store(h.attach(MetricDao.class), run, step, number, batch, series);
            }
        });
    }

    /**
     * {@code runs/update}: MLflow's client marks its run RUNNING at {@code start_run} and FINISHED at
     * {@code end_run}; the attempt's status is the worker's to report, so this changes nothing and answers the run.
     */
    public RunInfo update(Caller caller, String project, String runId, String status) {
        if (status != null
                && !Set.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED")
                        .contains(status)) {
            throw BatonException.badRequest("'status' must be RUNNING, SCHEDULED, FINISHED, FAILED or KILLED");
        }
        Attempt a = writable(caller, project, runId);
        jdbi.useTransaction(h -> requireRunning(h, h.attach(MlflowTrackingDao.class), a));
        return info(a);
    }

    /** Routes whose content Baton does not keep (log-inputs, outputs): the caller's right to write, checked. */
    public void accept(Caller caller, String project, String runId) {
        Attempt a = writable(caller, project, runId);
        jdbi.useTransaction(h -> requireRunning(h, h.attach(MlflowTrackingDao.class), a));
    }

    // ---- artifacts: runs/<MLflow run id>/<path> under MLflow's artifact routes ----

    /** Whether an artifact route's path names a run's files (else a model version's). */
    public static boolean runPath(String path) {
        return path != null && path.replaceAll("^/+", "").startsWith("runs/");
    }

    /**
     * A file a step logs ({@code log_artifact}): stored in the blob store by its sha256 and recorded as an output of
     * the attempt, at {@code mlflow/<path>}.
     */
    public void upload(Caller caller, String project, String path, InputStream body) throws IOException {
        RunPath at = runPath(path, true);
        Attempt a = writable(caller, project, at.runId());
        BlobStore.Spooled spooled = blobs.spool(body);
        try {
            blobs.adopt(spooled.file(), spooled.sha256());
        } finally {
            Files.deleteIfExists(spooled.file());
        }
        String stored = ARTIFACTS + at.file();
        jdbi.useTransaction(h -> {
            MlflowTrackingDao dao = h.attach(MlflowTrackingDao.class);
            requireRunning(h, dao, a);
            // a NUL is in no path: the key is never that of a file of the outputs folder
            String key = Hashing.sha256("mlflow\0" + stored);
            dao.deleteArtifact(a.run().id(), a.attempt().step(), a.attempt().number(), key);
            dao.insertArtifact(
                    a.run().id(),
                    a.attempt().step(),
                    a.attempt().number(),
                    stored,
                    key,
                    spooled.sha256(),
                    spooled.size(),
                    System.currentTimeMillis());
        });
    }

    /** What lies directly under a run's folder {@code runs/<id>[/<folder>]}; nothing for a file. */
    public List<FileInfo> list(Caller caller, String project, String path) {
        RunPath at = runPath(path, false);
        Attempt a = attempt(access.readable(caller, project), at.runId());
        String prefix = ARTIFACTS + (at.file().isEmpty() ? "" : at.file() + "/");
        Map<String, FileInfo> children = new TreeMap<>();
        for (ArtifactRow f : files(a, prefix)) {
            String rest = f.path().substring(prefix.length());
            int slash = rest.indexOf('/');
            String child = slash < 0 ? rest : rest.substring(0, slash);
            children.putIfAbsent(
                    child, slash < 0 ? new FileInfo(child, false, f.sizeBytes()) : new FileInfo(child, true, null));
        }
        return List.copyOf(children.values());
    }

    /** The sha256 of the file at {@code runs/<id>/<file>}, to be fetched from the blob route. */
    public String file(Caller caller, String project, String path) {
        RunPath at = runPath(path, true);
        Attempt a = attempt(access.readable(caller, project), at.runId());
        String stored = ARTIFACTS + at.file();
        return files(a, stored).stream()
                .filter(f -> f.path().equals(stored))
                .findFirst()
                .map(ArtifactRow::sha256)
                .orElseThrow(
                        () -> BatonException.notFound("run " + at.runId() + " has no artifact '" + at.file() + "'"));
    }

    private List<ArtifactRow> files(Attempt a, String prefix) {
        return jdbi
                .onDemand(MlflowTrackingDao.class)
                .artifacts(a.run().id(), a.attempt().step(), a.attempt().number(), prefix)
                .stream()
                .filter(f -> f.path().startsWith(prefix))
                .toList();
    }

    private record RunPath(String runId, String file) {}

    /** {@code runs/<id>[/<file>]}: the run and the (checked) path inside it; {@code file}: one is required. */
    private static RunPath runPath(String path, boolean file) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/", 3);
        String inside = parts.length == 3 ? parts[2] : "";
        if (parts.length < 2 || (file && inside.isEmpty())) {
            throw BatonException.notFound("expected runs/<run id>/<file>, not '" + abbreviate(path) + "'");
        }
        if (!inside.isEmpty()) {
            RegistryFiles.checkPath(inside);
            if (ARTIFACTS.length() + inside.length() > 1024) {
                throw BatonException.badRequest(
                        "an artifact's path may have at most " + (1024 - ARTIFACTS.length()) + " characters");
            }
        }
        return new RunPath(parts[1], inside);
    }

    /** The attempt an attempt token may write: its own, in its own project. */
    private Attempt writable(Caller caller, String project, String runId) {
        String p = access.readable(caller, project);
        if (!Caller.ATTEMPT.equals(caller.kind())) {
            throw forbidden("MLflow's tracking writes come from a step: its MLFLOW_TRACKING_TOKEN (the attempt's own"
                    + " token) writes its own run; other tokens only read");
        }
        Attempt a = attempt(p, runId);
        if (!caller.isAttempt(a.run().id(), a.attempt().step(), a.attempt().number())) {
            throw forbidden("an attempt's token writes only its own MLflow run (MLFLOW_RUN_ID), not run " + runId);
        }
        return a;
    }

    private static void requireRunning(Handle h, MlflowTrackingDao dao, Attempt a) {
        String status = dao.lockAttempt(
                        a.run().id(), a.attempt().step(), a.attempt().number())
                .orElse("");
        String runStatus = h.attach(RunDao.class).status(a.run().id()).orElse("");
        if (!status.equals("RUNNING") || RunStatus.valueOf(runStatus).terminal()) {
            throw BatonException.conflict(
                    "MLflow run " + a.id() + " (attempt " + a.attempt().number() + " of step '"
                            + a.attempt().step() + "') has ended; it takes no more writes");
        }
    }

    /** MLflow's points as Baton's series, by key: {@code [[step, value, timestamp, {"step": step}], ...]}. */
    private static Map<String, String> pack(List<BatchMetric> metrics) {
        Map<String, StringBuilder> byKey = new LinkedHashMap<>();
        for (BatchMetric m : metrics) {
            String key = checkKey(m == null ? null : m.key(), "metric");
            if (m.value() == null || !Double.isFinite(m.value())) {
                throw BatonException.badRequest(
                        "metric '" + key + "' needs a finite 'value' (Baton keeps no NaN or infinite values)");
            }
            if (m.timestamp() == null) {
                throw BatonException.badRequest("metric '" + key + "' needs a 'timestamp' (epoch milliseconds)");
            }
            long step = m.step() == null ? 0 : m.step();
            StringBuilder points = byKey.computeIfAbsent(key, k -> new StringBuilder("["));
            if (points.length() > 1) {
                points.append(',');
            }
            points.append('[')
                    .append(step)
                    .append(',')
                    .append(m.value())
                    .append(',')
                    .append(m.timestamp())
                    .append(",{\"step\":")
                    .append(step)
                    .append("}]");
        }
        Map<String, String> packed = new LinkedHashMap<>();
        byKey.forEach((key, points) -> packed.put(key, points.append(']').toString()));
        return packed;
    }

    private static String checkKey(String key, String what) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw BatonException.badRequest("a " + what + "'s 'key' must be 1 to " + MAX_KEY + " characters");
        }
        return key;
    }

    private static String checkValue(String value, int max, String what) {
        if (value == null) {
            throw BatonException.badRequest(what + " needs a 'value'");
        }
        if (value.length() > max) {
            throw BatonException.badRequest(
                    what + ": the value has " + value.length() + " characters; at most " + max + " are allowed");
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private static BatonException forbidden(String message) {
        return new BatonException(403, ErrorCodes.FORBIDDEN, message);
    }

    // ---- reads ----

    public Run run(Caller caller, String project, String runId) {
        Attempt a = attempt(access.readable(caller, project), runId);
        return runs(List.of(a)).get(0);
    }

    public Metrics history(Caller caller, String project, String runId, String key) {
        if (key == null || key.isEmpty()) {
            throw BatonException.badRequest("'metric_key' is required");
        }
        Attempt a = attempt(access.readable(caller, project), runId);
        List<Metric> points = new ArrayList<>();
        for (MetricChunkRow c : jdbi.onDemand(MlflowTrackingDao.class)
                .chunks(a.run().id(), a.attempt().step(), a.attempt().number(), key)) {
            readPoints(key, c.points(), points);
        }
        return new Metrics(points, null);
    }

    public Experiments experiments(
            Caller caller, String project, String filter, Integer maxResults, List<String> orderBy, String pageToken) {
        String p = access.readable(caller, project);
        SearchFilter f = SearchFilter.parse(filter, Set.of("name"));
        List<Experiment> all = new ArrayList<>();
        MlflowTrackingDao dao = jdbi.onDemand(MlflowTrackingDao.class);
        for (String pipeline : dao.experiments(p)) {
            Experiment e = experiment(dao, p, pipeline);
            if (f.matches(Map.of("name", e.name()), Map.of())) {
                all.add(e);
            }
        }
        Comparator<Experiment> order = Comparator.comparing(Experiment::name);
        for (String o : orderBy == null ? List.<String>of() : orderBy) {
            String[] words = o.trim().split("\\s+");
            Comparator<Experiment> c = switch (words[0].replace("`", "")) {
                case "name" -> Comparator.comparing(Experiment::name);
                case "experiment_id" -> Comparator.comparing(Experiment::experimentId);
                case "creation_time", "last_update_time" ->
                    Comparator.comparing(Experiment::creationTime, Comparator.nullsFirst(Comparator.naturalOrder()));
                default ->
                    throw BatonException.badRequest("invalid order_by \"" + o
                            + "\": use name, experiment_id, creation_time or last_update_time");
            };
            order = words.length > 1 && words[1].equalsIgnoreCase("DESC") ? c.reversed() : c;
        }
        all.sort(order);
        return page(all, maxResults, pageToken, Experiments::new);
    }

    public Experiment experimentById(Caller caller, String project, String id) {
        String p = access.readable(caller, project);
        String pipeline = DEFAULT_EXPERIMENT_ID.equals(id) ? "" : id;
        MlflowTrackingDao dao = jdbi.onDemand(MlflowTrackingDao.class);
        if (id == null || !dao.experiments(p).contains(pipeline)) {
            throw BatonException.notFound("No Experiment with id=" + id + " exists");
        }
        return experiment(dao, p, pipeline);
    }

    public Experiment experimentByName(Caller caller, String project, String name) {
        String p = access.readable(caller, project);
        String pipeline = DEFAULT_EXPERIMENT.equals(name) ? "" : name;
        MlflowTrackingDao dao = jdbi.onDemand(MlflowTrackingDao.class);
        if (name == null || !dao.experiments(p).contains(pipeline)) {
            throw BatonException.notFound("Could not find experiment with name '" + name + "'");
        }
        return experiment(dao, p, pipeline);
    }

    /** The newest {@link #SEARCHED_RUNS} runs of the experiments asked, their attempts filtered, sorted, paged. */
    public Runs search(Caller caller, String project, SearchRunsRequest request) {
        String p = access.readable(caller, project);
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object ('experiment_ids', 'filter', ...)");
        }
        SearchRunsRequest r = request;
        RunFilter filter = RunFilter.parse(r.filter());
        Comparator<Ranked> order = RunOrder.parse(r.orderBy());
        List<String> pipelines = (r.experimentIds() == null ? List.<String>of() : r.experimentIds())
                .stream().map(id -> DEFAULT_EXPERIMENT_ID.equals(id) ? "" : id).toList();
        if (pipelines.isEmpty()) {
            return new Runs(List.of(), null);
        }
        List<RunRow> rows = jdbi.onDemand(MlflowTrackingDao.class).runsOf(p, pipelines, SEARCHED_RUNS);
        List<Attempt> attempts = attemptsOf(rows);
        List<Ranked> found = new ArrayList<>();
        for (Run run : runs(attempts)) {
            Map<String, Double> metrics = new HashMap<>();
            run.data().metrics().forEach(m -> metrics.put(m.key(), m.value()));
            Map<String, String> params = new HashMap<>();
            run.data().params().forEach(x -> params.put(x.key(), x.value()));
            Map<String, String> tags = new HashMap<>();
            run.data().tags().forEach(x -> tags.put(x.key(), x.value()));
            if (filter.matches(run, metrics, params, tags)) {
                found.add(new Ranked(run, metrics, params, tags));
            }
        }
        found.sort(order);
        return page(found.stream().map(Ranked::run).toList(), r.maxResults(), r.pageToken(), Runs::new);
    }

    /** A run with its values by key, for ordering. */
    record Ranked(Run run, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {}

    private static <T, P> P page(
            List<T> all, Integer maxResults, String pageToken, BiFunction<List<T>, String, P> make) {
        int max = maxResults == null ? MAX_RESULTS : maxResults;
        if (max < 1 || max > 50_000) {
            throw BatonException.badRequest("'max_results' must be 1 to 50000");
        }
        max = Math.min(max, MAX_RESULTS);
        int from = 0;
        if (pageToken != null && !pageToken.isEmpty()) {
            if (!pageToken.matches("[0-9]{1,9}")) {
                throw BatonException.badRequest("invalid page_token '" + abbreviate(pageToken) + "'");
            }
            from = Math.min(Integer.parseInt(pageToken), all.size());
        }
        int to = Math.min(all.size(), from + max);
        return make.apply(List.copyOf(all.subList(from, to)), to < all.size() ? Integer.toString(to) : null);
    }

    private Experiment experiment(MlflowTrackingDao dao, String project, String pipeline) {
        Long created = dao.firstRunAt(project, pipeline).orElse(null);
        return new Experiment(
                pipeline.isEmpty() ? DEFAULT_EXPERIMENT_ID : pipeline,
                pipeline.isEmpty() ? DEFAULT_EXPERIMENT : pipeline,
                "mlflow-artifacts:/experiments/" + (pipeline.isEmpty() ? DEFAULT_EXPERIMENT_ID : pipeline),
                "active",
                created,
                created,
                List.of(new Tag("baton.project", project)));
    }

    /** The attempt an MLflow run id names in {@code project}; MLflow's 404 for any other id. */
    private Attempt attempt(String project, String mlflowRunId) {
        MlflowRunIds.Parts parts = MlflowRunIds.parse(mlflowRunId);
        BatonException missing = BatonException.notFound("Run with id=" + mlflowRunId + " not found");
        if (parts == null) {
            throw missing;
        }
        return jdbi.withHandle(h -> {
            RunRow run = h.attach(RunDao.class)
                    .find(parts.runId())
                    .filter(r -> r.project().equals(project))
                    .orElseThrow(() -> missing);
            String step = h.attach(MlflowTrackingDao.class).stepsWithAttempt(run.id(), parts.attempt()).stream()
                    .filter(s -> MlflowRunIds.stepHash(s).equals(parts.stepHash()))
                    .findFirst()
                    .orElseThrow(() -> missing);
            AttemptRow row = h.attach(AttemptDao.class)
                    .find(run.id(), step, parts.attempt())
                    .orElseThrow(() -> missing);
            return new Attempt(run, row);
        });
    }

    private List<Attempt> attemptsOf(List<RunRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, RunRow> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        List<Attempt> attempts = new ArrayList<>();
        for (AttemptRow a : jdbi.onDemand(AttemptDao.class).ofRuns(List.copyOf(byId.keySet()))) {
            attempts.add(new Attempt(byId.get(a.runId()), a));
        }
        return attempts;
    }

    /** The attempts as MLflow runs, with their latest metrics, parameters and tags. */
    private List<Run> runs(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return List.of();
        }
        List<String> runIds =
                attempts.stream().map(a -> a.run().id()).distinct().toList();
        MlflowTrackingDao dao = jdbi.onDemand(MlflowTrackingDao.class);
        Map<String, Map<String, String>> params = byAttempt(dao.paramsOfRuns(runIds));
        Map<String, Map<String, String>> tags = byAttempt(dao.tagsOfRuns(runIds));
        Map<String, Map<String, Metric>> latest = new HashMap<>();
        for (String runId : runIds) {
            for (MetricChunkRow c : dao.chunksOfRun(runId)) {
                List<Metric> points = new ArrayList<>();
                readPoints(c.name(), c.points(), points);
                Map<String, Metric> last =
                        latest.computeIfAbsent(key(runId, c.step(), c.attempt()), k -> new TreeMap<>());
                for (Metric m : points) {
                    Metric old = last.get(m.key());
                    if (old == null
                            || m.step() > old.step()
                            || (m.step() == old.step() && m.timestamp() >= old.timestamp())) {
                        last.put(m.key(), m);
                    }
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Attempt a : attempts) {
            String k = key(a.run().id(), a.attempt().step(), a.attempt().number());
            Map<String, String> ps = new TreeMap<>();
            Map<String, Object> runParameters = a.run().parameters() == null
                    ? Map.of()
                    : Json.read(a.run().parameters(), new TypeReference<LinkedHashMap<String, Object>>() {});
            runParameters.forEach((name, value) -> ps.put(name, Parameters.render(value)));
            ps.putAll(params.getOrDefault(k, Map.of()));
            Map<String, String> ts = new TreeMap<>(systemTags(a));
            ts.putAll(tags.getOrDefault(k, Map.of()));
            runs.add(new Run(
                    info(a),
                    new RunData(
                            List.copyOf(latest.getOrDefault(k, Map.of()).values()),
                            ps.entrySet().stream()
                                    .map(e -> new Param(e.getKey(), e.getValue()))
                                    .toList(),
                            ts.entrySet().stream()
                                    .map(e -> new Tag(e.getKey(), e.getValue()))
                                    .toList()),
                    Map.of()));
        }
        return runs;
    }

    private static Map<String, String> systemTags(Attempt a) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.runName", runName(a));
        tags.put("mlflow.user", a.run().createdBy());
        tags.put("baton.run_id", a.run().id());
        tags.put("baton.step", a.attempt().step());
        tags.put("baton.attempt", Integer.toString(a.attempt().number()));
        tags.put("baton.project", a.run().project());
        if (a.run().pipeline() != null) {
            tags.put("baton.pipeline", a.run().pipeline());
        }
        tags.put("baton.worker", a.attempt().worker());
        return tags;
    }

    private static Map<String, Map<String, String>> byAttempt(List<AttemptValueRow> rows) {
        Map<String, Map<String, String>> by = new HashMap<>();
        rows.forEach(r -> by.computeIfAbsent(key(r.runId(), r.step(), r.attempt()), k -> new TreeMap<>())
                .put(r.name(), r.itemValue()));
        return by;
    }

    private static String key(String runId, String step, int attempt) {
        return runId + "\n" + step + "\n" + attempt;
    }

    private static String runName(Attempt a) {
        return a.attempt().step() + " (attempt " + a.attempt().number() + ")";
    }

    private static RunInfo info(Attempt a) {
        String id = a.id();
        return new RunInfo(
                id,
                id,
                a.run().pipeline() == null ? DEFAULT_EXPERIMENT_ID : a.run().pipeline(),
                runName(a),
                a.run().createdBy(),
                status(a.attempt().status()),
                a.attempt().startedAt(),
                a.attempt().finishedAt(),
                "mlflow-artifacts:/runs/" + id,
                "active");
    }

    /** Baton's attempt status as MLflow's run status. */
    static String status(String attempt) {
        return switch (attempt) {
            case "RUNNING" -> "RUNNING";
            case "SUCCEEDED" -> "FINISHED";
            case "CANCELLED" -> "KILLED";
            default -> "FAILED"; // FAILED, TIMED_OUT, LOST
        };
    }

    /** The points of one stored series as MLflow's metrics: the step is x's "step" (or its first axis), else seq. */
    static void readPoints(String key, String text, List<Metric> into) {
        List<Metric> read = new ArrayList<>();
        PackedPoints.read(text, new PackedPoints.Visitor() {
            @Override
            public void point(
                    String t,
                    int seqStart,
                    int seqEnd,
                    int valueStart,
                    int valueEnd,
                    long timeMillis,
                    int xStart,
                    int xEnd) {
                long step = Long.parseLong(t, seqStart, seqEnd, 10);
                if (xStart >= 0 && xEnd > xStart) {
                    Long axis = axis(t.substring(xStart, xEnd));
                    step = axis == null ? step : axis;
                }
                read.add(new Metric(key, Double.parseDouble(t.substring(valueStart, valueEnd)), timeMillis, step));
            }

            @Override
            public void again() {
                read.clear();
            }
        });
        into.addAll(read);
    }

    private static Long axis(String x) {
        if (!x.startsWith("{")) {
            return null;
        }
        Map<String, Object> axes = Json.read(x, new TypeReference<LinkedHashMap<String, Object>>() {});
        Object v = axes.containsKey("step")
                ? axes.get("step")
                : axes.values().stream().findFirst().orElse(null);
        return v instanceof Number n ? Long.valueOf(n.longValue()) : null;
    }
}
