package io.baton.server.schedules;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.pipeline.Durations;
import io.baton.pipeline.Parameters;
import io.baton.pipeline.PipelineSpec;
import io.baton.pipeline.SpecException;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.ScheduleRequest;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BundleService;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Json;
import io.baton.server.core.Projects;
import io.baton.server.db.ScheduleRow;
import io.baton.server.registry.DatasetRegistry;
import io.baton.server.runs.PipelineService;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a schedule's definition before anything is written: each problem a 400 that says what is accepted. */
public final class ScheduleChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,99}");
    private static final Pattern DATASET =
            Pattern.compile("(?:([a-z0-9][a-z0-9-]{0,62})/)?([A-Za-z0-9][A-Za-z0-9_.-]{0,127})");
    private static final int MAX_NOTE = 1000;

    private final Access access;
    private final PipelineService pipelines;
    private final BundleService bundles;
    private final DatasetRegistry datasets;

    public ScheduleChecks(Access access, PipelineService pipelines, BundleService bundles, DatasetRegistry datasets) {
        this.access = access;
        this.pipelines = pipelines;
        this.bundles = bundles;
        this.datasets = datasets;
    }

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw BatonException.badRequest("'name' must be a letter then up to 99 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    /**
     * The row {@code r} asks for, in {@code project}; {@code before} is the row it changes (null for a new one), whose
     * values stand for the fields {@code r} leaves out.
     */
    ScheduleRow row(ScheduleRequest r, String project, ScheduleRow before, String id, Caller caller, long now) {
        String pipeline = pick(r.pipeline(), before == null ? null : before.pipeline());
        if (pipeline == null) {
            throw BatonException.badRequest("'pipeline' is required: the name of a pipeline registered in project '"
                    + project + "' (POST /api/v1/pipelines)");
        }
        Integer version = r.pipeline() != null || r.pipelineVersion() != null || before == null
                ? r.pipelineVersion()
                : before.pipelineVersion();
        PipelineSpec spec;
        try {
            spec = PipelineService.parse(
                    pipelines.version(project, pipeline, version).spec());
        } catch (BatonException e) {
            throw e.status() == 404 ? BatonException.badRequest(e.getMessage()) : e;
        }
        Map<String, Object> parameters =
                r.parameters() != null ? r.parameters() : before == null ? Map.of() : parameters(before.parameters());
        try {
            Parameters.resolve(spec, parameters);
        } catch (SpecException e) {
            throw new BatonException(400, ErrorCodes.INVALID_PARAMETERS, e.getMessage(), e.problems());
        }
        String bundle = pick(r.bundle(), before == null ? null : before.bundle());
        if (bundle != null
                && (!FolderBlobStore.isSha256(bundle)
                        || !bundles.exists(bundle)
                        || bundles.projects(bundle).stream().noneMatch(p -> access.can(caller, p, Permission.READ)))) {
            throw BatonException.badRequest("'bundle' must be the sha256 of a bundle uploaded to a project you may"
                    + " read (POST /api/v1/bundles?project=" + project + ")");
        }
        boolean kindGiven = r.cron() != null || r.every() != null || r.onDataset() != null;
        String cron = kindGiven ? r.cron() : before == null ? null : before.cron();
        String every = kindGiven ? r.every() : before == null ? null : before.everySpec();
        String onDataset = kindGiven ? r.onDataset() : before == null ? null : before.onDataset();
        int kinds = (cron != null ? 1 : 0) + (every != null ? 1 : 0) + (onDataset != null ? 1 : 0);
        if (kinds != 1) {
            throw BatonException.badRequest("give exactly one of 'cron' (e.g. \"0 3 * * *\"), 'every' (e.g. \"30s\")"
                    + " and 'onDataset' (a dataset's name: a run per new version)");
        }
        if (cron != null) {
            try {
                cron = CronExpressions.check(cron);
            } catch (IllegalArgumentException e) {
                throw BatonException.badRequest(e.getMessage());
            }
        }
        if (every != null) {
            duration("every", every, Duration.ofSeconds(1));
        }
        if (onDataset != null && (before == null || !onDataset.equals(before.onDataset()))) {
            onDataset = dataset(onDataset, project, caller);
        }
        String timezone = pick(r.timezone(), before == null ? null : before.timezone());
        if (timezone != null
                && !timezone.equals("UTC")
                && !ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw BatonException.badRequest("'timezone' must be an IANA time zone such as \"Europe/Berlin\" or"
                    + " \"UTC\", not '" + abbreviate(timezone) + "'");
        }
        String jitter = pick(r.jitter(), before == null ? null : before.jitter());
        if (jitter != null) {
            duration("jitter", jitter, Duration.ZERO);
        }
        String catchup = pick(r.catchupWindow(), before == null ? null : before.catchupWindow());
        if (catchup != null) {
            duration("catchupWindow", catchup, Duration.ofSeconds(10));
        }
        String overlap = r.overlap() != null
                ? r.overlap()
                : before != null && !kindGiven ? before.overlap() : onDataset != null ? "bufferOne" : "skip";
        if (!TemporalSchedules.OVERLAP.containsKey(overlap)) {
            throw BatonException.badRequest("'overlap' must be one of skip, bufferOne, bufferAll, cancelOther,"
                    + " terminateOther, allowAll, not '" + abbreviate(overlap) + "'");
        }
        String note = pick(r.note(), before == null ? null : before.note());
        if (note != null && note.length() > MAX_NOTE) {
            throw BatonException.badRequest("'note' is longer than " + MAX_NOTE + " characters");
        }
        return new ScheduleRow(
                id,
                project,
                before == null ? r.name() : before.name(),
                pipeline,
                version,
                bundle,
                Json.write(parameters),
                cron,
                every,
                onDataset,
                timezone,
                jitter,
                overlap,
                catchup,
                note,
                before == null ? caller.name() : before.createdBy(),
                before == null ? caller.userId() : before.createdById(),
                before == null ? now : before.createdAt(),
                now,
                before == null ? null : before.lastDatasetVersion(),
                before == null ? null : before.lastProblem(),
                before == null ? null : before.lastProblemAt());
    }

    /** {@code name} or {@code project/name}: a dataset the caller may read, as {@code project/name}. */
    private String dataset(String text, String project, Caller caller) {
        var m = DATASET.matcher(text);
        if (!m.matches()) {
            throw BatonException.badRequest("'onDataset' must be a dataset's name, or project/name for a dataset of"
                    + " another project you may read, not '" + abbreviate(text) + "'");
        }
        String p = m.group(1) == null ? project : Projects.check(m.group(1));
        if (!access.can(caller, p, Permission.READ)) {
            throw BatonException.badRequest("there is no dataset '" + p + "/" + m.group(2) + "'");
        }
        try {
            datasets.dataset(p, m.group(2));
        } catch (BatonException e) {
            throw BatonException.badRequest(e.getMessage() + "; create it first (POST /api/v1/datasets)");
        }
        return p + "/" + m.group(2);
    }

    /** A 409 when the schedule's pipeline (version) is gone: its fires would record no run. */
    void pipelineExists(ScheduleRow row) {
        try {
            pipelines.version(row.project(), row.pipeline(), row.pipelineVersion());
        } catch (BatonException e) {
            throw BatonException.conflict("schedule '" + row.name() + "' cannot record a run: " + e.getMessage());
        }
    }

    /** The latest version of a dataset ({@code project/name}); null before its first or when it is gone. */
    Integer latestVersion(String dataset) {
        int slash = dataset.indexOf('/');
        try {
            return datasets.dataset(dataset.substring(0, slash), dataset.substring(slash + 1))
                    .latestVersion();
        } catch (BatonException gone) {
            return null;
        }
    }

    private static void duration(String field, String text, Duration min) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw BatonException.badRequest("'" + field + "': " + e.getMessage());
        }
        if (d.compareTo(min) < 0) {
            throw BatonException.badRequest("'" + field + "' must be at least " + Durations.format(min));
        }
    }

    static Map<String, Object> parameters(String json) {
        return Json.read(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    }

    private static String pick(String given, String before) {
        return given != null ? given : before;
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
