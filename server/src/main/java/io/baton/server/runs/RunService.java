package io.baton.server.runs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.common.Hashing;
import io.baton.pipeline.Parameters;
import io.baton.pipeline.PipelineSpec;
import io.baton.pipeline.SpecException;
import io.baton.pipeline.SpecProblem;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.RunSubmission;
import io.baton.server.api.RunView;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.BundleService;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Ids;
import io.baton.server.core.Json;
import io.baton.server.core.Projects;
import io.baton.server.db.BundleDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.server.quota.QuotaService;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.secrets.SecretService;
import io.baton.server.temporal.TemporalLimits;
import io.baton.server.temporal.TemporalService;
import io.baton.server.workers.PoolService;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.InputPlan;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.RunStatus;
import io.baton.workflows.StepPlan;
import io.baton.workflows.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits runs: checks everything a client sent, records the run and its steps in one transaction, then starts its
 * workflow. If Temporal cannot be reached the run stays QUEUED and the {@link QueuedRunStarter} starts it later.
 */
public final class RunService {
    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final Jdbi jdbi;
    private final BundleService bundles;
    private final TemporalService temporal;
    private final RunQueries views;
    private final PipelineService pipelines;
    private final BlobStore blobs;
    private final RunPlanner.Registry registry;
    private final PoolService pools;
    private final Access access;
    private final SecretService secrets;

    public RunService(
            Jdbi jdbi,
            BundleService bundles,
            TemporalService temporal,
            RunQueries views,
            PipelineService pipelines,
            BlobStore blobs,
            RunPlanner.Registry registry,
            PoolService pools,
            Access access,
            SecretService secrets) {
        this.jdbi = jdbi;
        this.bundles = bundles;
        this.temporal = temporal;
        this.views = views;
        this.pipelines = pipelines;
        this.blobs = blobs;
        this.registry = registry;
        this.pools = pools;
        this.access = access;
        this.secrets = secrets;
    }

    /** The result of a submission; {@code created} is false when an idempotency key returned an earlier run. */
    public record Submitted(RunView run, boolean created) {}

    public Submitted submit(RunSubmission request, Caller caller, String idempotencyKey) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'spec' (the baton.yaml text) or"
                    + " 'pipeline' (a registered pipeline's name)");
        }
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw BatonException.badRequest("Idempotency-Key must be 1-200 printable ASCII characters without spaces");
        }
        Optional<RunRow> earlier = earlier(caller, idempotencyKey);
        if (earlier.isPresent()) {
            return new Submitted(views.run(earlier.get().id()), false);
        }
        NewRun run = newRun(request, caller, idempotencyKey, registry, null);
        try {
            return new Submitted(views.run(create(run, caller)), true);
        } catch (UnableToExecuteStatementException e) {
            // the same key submitted twice at once: the first one wins
            return new Submitted(
                    views.run(
                            earlier(caller, idempotencyKey).orElseThrow(() -> e).id()),
                    false);
        }
    }

    /** What marks a schedule's run: its schedule and its trigger (JSON text). */
    private record Scheduled(String scheduleId, String triggerInfo) {}

    /**
     * Records a schedule's run as a submission by the schedule's owner would, without starting its workflow (the
     * schedule's action starts it as its child). Idempotent by {@code idempotencyKey}: answers the run recorded first.
     * {@code inputs} wraps how its registry inputs resolve (a data trigger's dataset at the version that fired it).
     */
    public RunRow recordScheduled(
            RunSubmission request,
            Caller owner,
            String idempotencyKey,
            String scheduleId,
            String triggerInfo,
            UnaryOperator<RunPlanner.Registry> inputs) {
        Optional<RunRow> earlier = earlier(owner, idempotencyKey);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        NewRun run =
                newRun(request, owner, idempotencyKey, inputs.apply(registry), new Scheduled(scheduleId, triggerInfo));
        try {
            return jdbi.onDemand(RunDao.class).find(create(run, owner)).orElseThrow();
        } catch (UnableToExecuteStatementException e) {
            return earlier(owner, idempotencyKey).orElseThrow(() -> e);
        }
    }

    private Optional<RunRow> earlier(Caller caller, String idempotencyKey) {
        return idempotencyKey == null
                ? Optional.empty()
                : jdbi.onDemand(RunDao.class).findByIdempotencyKey(caller.name(), idempotencyKey);
    }

    private NewRun newRun(
            RunSubmission request,
            Caller caller,
            String idempotencyKey,
            RunPlanner.Registry inputs,
            Scheduled scheduled) {
        String project = Projects.check(request.project());
        access.require(caller, project, Permission.WRITE);
        String specText = request.spec();
        Integer pipelineVersion = null;
        if (request.pipeline() != null) {
            if (specText != null) {
                throw BatonException.badRequest("send either 'spec' or 'pipeline', not both");
            }
            var registered = pipelines.version(project, request.pipeline(), request.pipelineVersion());
            specText = registered.spec();
            pipelineVersion = registered.version();
        } else if (request.pipelineVersion() != null) {
            throw BatonException.badRequest("'pipelineVersion' needs 'pipeline'");
        }
        int priority = request.priority() == null ? 3 : request.priority();
        if (priority < 1 || priority > 5) {
            throw BatonException.badRequest("'priority' must be 1 (highest) to 5, not " + priority);
        }
        PipelineSpec spec = PipelineService.parse(specText);
        Map<String, Object> parameters = resolve(spec, request.parameters() == null ? Map.of() : request.parameters());
        String bundle = request.bundle();
        if (bundle != null) {
            if (!FolderBlobStore.isSha256(bundle)) {
                throw BatonException.badRequest("'bundle' must be the sha256 (64 lower-case hex digits) that"
                        + " POST /api/v1/bundles returned");
            }
            // a bundle of a project the caller cannot read is as unknown as one never uploaded
            if (!bundles.exists(bundle)
                    || bundles.projects(bundle).stream().noneMatch(p -> access.can(caller, p, Permission.READ))) {
                throw BatonException.badRequest(
                        "no bundle with sha256 " + bundle + "; upload it with POST /api/v1/bundles?project=" + project);
            }
        }
        return new NewRun(
                project,
                spec,
                specText,
                pipelineVersion,
                bundle,
                parameters,
                priority,
                idempotencyKey,
                null,
                Map.of(),
                null,
                null,
                inputs,
                scheduled);
    }

    /**
     * A new run of a FAILED or CANCELLED run's spec and bundle that takes over every step that succeeded there
     * (REUSED, its outputs handed on) and runs the rest, with the original parameters and any overrides, on the
     * dataset and model versions the original read.
     */
    public RunView resume(String runId, Map<String, Object> overrides, Caller caller) {
        RunRow original = jdbi.onDemand(RunDao.class)
                .find(runId)
                .orElseThrow(() -> BatonException.notFound("no run with id '" + runId + "'"));
        if (!original.status().equals(RunStatus.FAILED.name())
                && !original.status().equals(RunStatus.CANCELLED.name())) {
            throw BatonException.conflict(
                    "only a FAILED or CANCELLED run can be resumed; run " + runId + " is " + original.status());
        }
        PipelineSpec spec = PipelineService.parse(original.spec());
        Map<String, Object> parameters = new LinkedHashMap<>(parameters(original.parameters()));
        if (overrides != null) {
            parameters.putAll(overrides);
        }
        Map<String, List<ArtifactRef>> reused = new LinkedHashMap<>();
        for (StepRow step : jdbi.onDemand(StepDao.class).ofRun(runId)) {
            if (StepStatus.valueOf(step.status()).succeeded() && step.outputs() != null) {
                reused.put(step.name(), Json.read(step.outputs(), new TypeReference<List<ArtifactRef>>() {}));
            }
        }
        NewRun run = new NewRun(
                original.project(),
                spec,
                original.spec(),
                original.pipelineVersion(),
                original.bundle(),
                resolve(spec, parameters),
                original.priority(),
                null,
                runId,
                reused,
                null,
                null,
                pinned(Json.read(original.plan(), RunPlan.class)),
                null);
        return views.run(create(run, caller));
    }

    /**
     * A new run made from a finished run's record: the same bundle, spec, parameters and inputs (dataset and model
     * inputs stay at the versions the original resolved, whatever {@code @latest} or an alias says now). Every step
     * runs again: no cache hits, nothing reused, so that the outputs can be compared with the original's.
     */
    public RunView reproduce(String runId, Caller caller) {
        RunRow original = jdbi.onDemand(RunDao.class)
                .find(runId)
                .orElseThrow(() -> BatonException.notFound("no run with id '" + runId + "'"));
        if (!RunStatus.valueOf(original.status()).terminal()) {
            throw BatonException.conflict("run " + runId + " is " + original.status() + "; a run can be reproduced once"
                    + " it has finished and its record is complete");
        }
        PipelineSpec spec = PipelineService.parse(original.spec());
        RunPlan plan = Json.read(original.plan(), RunPlan.class);
        List<StepPlan> steps = plan.steps().stream().map(StepPlan::uncached).toList();
        NewRun run = new NewRun(
                original.project(),
                spec,
                original.spec(),
                original.pipelineVersion(),
                original.bundle(),
                parameters(original.parameters()),
                original.priority(),
                null,
                null,
                Map.of(),
                runId,
                steps,
                registry,
                null);
        return views.run(create(run, caller));
    }

    /**
     * Everything a new run is made of, checked. {@code steps}: a plan already made (a reproduction), else null and
     * the spec is planned now.
     */
    private record NewRun(
            String project,
            PipelineSpec spec,
            String specText,
            Integer pipelineVersion,
            String bundle,
            Map<String, Object> parameters,
            int priority,
            String idempotencyKey,
            String resumedFrom,
            Map<String, List<ArtifactRef>> reused,
            String reproducedFrom,
            List<StepPlan> steps,
            RunPlanner.Registry registry,
            Scheduled scheduled) {}

    /**
     * Resolves dataset and model references as an earlier run did (a resumed run reads the versions its original
     * read); references the earlier run did not have are resolved now.
     */
    private RunPlanner.Registry pinned(RunPlan earlier) {
        Map<String, InputPlan> known = new LinkedHashMap<>();
        earlier.steps()
                .forEach(s -> s.inputs().stream()
                        .filter(i -> !i.fromSteps() && i.reference() != null)
                        .forEach(i -> known.putIfAbsent(i.reference(), i)));
        return (reference, text, project, submitter) -> {
            InputPlan before = known.get(text);
            return before != null
                    ? new ModelRegistry.Resolved(before.knownFiles(), before.knownSource())
                    : registry.resolve(reference, text, project, submitter);
        };
    }

    /** Records a run and (unless a schedule's action will) starts its workflow; answers the run's id. */
    private String create(NewRun run, Caller caller) {
        TemporalLimits.checkSteps(run.spec());
        String runId = Ids.newId();
        RunPlan planned = run.steps() != null
                ? new RunPlan(
                        runId,
                        run.project(),
                        run.spec().name(),
                        run.bundle(),
                        run.priority(),
                        caller.name(),
                        run.parameters(),
                        run.steps(),
                        Map.of())
                : RunPlanner.plan(
                        runId,
                        run.project(),
                        run.spec(),
                        run.bundle(),
                        run.priority(),
                        caller,
                        run.parameters(),
                        blobs::size,
                        run.registry(),
                        Map.of());
        List<SpecProblem> unplaceable = pools.unplaceable(planned.steps(), run.project());
        if (!unplaceable.isEmpty()) {
            throw new BatonException(
                    400,
                    ErrorCodes.UNPLACEABLE,
                    "step '" + unplaceable.get(0).path().split("\\.")[1] + "': "
                            + unplaceable.get(0).message(),
                    unplaceable);
        }
        secrets.requireDeclared(run.project(), planned.steps()); // names only: values never enter a plan
        Map<String, List<ArtifactRef>> reused = new LinkedHashMap<>();
        planned.steps().forEach(s -> {
            if (run.reused().containsKey(s.name())) {
                reused.put(s.name(), run.reused().get(s.name()));
            }
        });
        RunPlan plan = new RunPlan(
                runId,
                planned.project(),
                planned.pipeline(),
                planned.bundle(),
                planned.priority(),
                planned.createdBy(),
                planned.parameters(),
                planned.steps(),
                reused,
                QuotaService.share(jdbi, planned.project()));
        TemporalLimits.check(plan);
        long now = System.currentTimeMillis();
        RunRow row = new RunRow(
                runId,
                run.project(),
                run.spec().name(),
                run.pipelineVersion(),
                RunStatus.QUEUED.name(),
                PipelineWorkflow.workflowId(runId),
                run.bundle(),
                run.specText(),
                Hashing.sha256(run.specText()),
                Json.write(run.parameters()),
                Json.write(plan),
                run.priority(),
                caller.name(),
                now,
                null,
                null,
                null,
                run.resumedFrom(),
                run.reproducedFrom(),
                run.idempotencyKey(),
                caller.userId());
        List<StepRow> steps = IntStream.range(0, plan.steps().size())
                .mapToObj(i -> {
                    String name = plan.steps().get(i).name();
                    List<ArtifactRef> outputs = reused.get(name);
                    return new StepRow(
                            runId,
                            name,
                            i,
                            plan.steps().get(i).pool(),
                            outputs == null ? StepStatus.PENDING.name() : StepStatus.REUSED.name(),
                            outputs == null ? null : "reused from run " + run.resumedFrom(),
                            null,
                            null,
                            outputs == null ? null : now,
                            outputs == null ? null : Json.write(outputs),
                            null,
                            null);
                })
                .toList();
        jdbi.useTransaction(h -> {
            h.attach(RunDao.class).insert(row);
            h.attach(StepDao.class).insertAll(steps);
            if (row.bundle() != null) {
                h.attach(BundleDao.class).addToProject(row.bundle(), row.project(), caller.name(), now);
            }
            RunParameters.insert(h, runId, run.parameters());
            if (run.scheduled() != null) {
                h.attach(ScheduleDao.class)
                        .markScheduled(
                                runId,
                                run.scheduled().scheduleId(),
                                run.scheduled().triggerInfo());
            }
        });
        if (run.scheduled() == null) {
            start(row.id(), plan);
        }
        return runId;
    }

    private static Map<String, Object> resolve(PipelineSpec spec, Map<String, Object> given) {
        try {
            return Parameters.resolve(spec, given);
        } catch (SpecException e) {
            throw new BatonException(400, ErrorCodes.INVALID_PARAMETERS, e.getMessage(), e.problems());
        }
    }

    /** Starts a recorded run's workflow; a run whose workflow already exists is left alone. */
    public void start(RunRow row) {
        start(row.id(), Json.read(row.plan(), RunPlan.class));
    }

    private void start(String runId, RunPlan plan) {
        try {
            temporal.startRun(plan);
        } catch (RuntimeException e) {
            log.warn(
                    "cannot start the workflow of run {} now ({}); it stays QUEUED and will be started later",
                    runId,
                    e.getMessage());
        }
    }

    /**
     * Cancels a run that has not ended and has no workflow (never started, or Temporal refused to start it): it and
     * its unfinished steps end CANCELLED here. False when the run had ended meanwhile.
     */
    public boolean cancelUnstarted(String runId) {
        long now = System.currentTimeMillis();
        boolean cancelled = jdbi.inTransaction(h -> {
            if (h.attach(RunDao.class)
                            .finish(runId, RunStatus.CANCELLED.name(), "cancelled before its workflow started", now)
                    == 0) {
                return false;
            }
            StepDao steps = h.attach(StepDao.class);
            for (StepRow step : steps.ofRun(runId)) {
                if (!StepStatus.valueOf(step.status()).terminal()) {
                    steps.finish(
                            runId,
                            step.name(),
                            StepStatus.CANCELLED.name(),
                            null,
                            "the run was cancelled before it" + " started",
                            now,
                            null,
                            null,
                            null);
                }
            }
            return true;
        });
        if (cancelled) {
            try { // a reconciler that started the workflow meanwhile: the workflow ends too
                temporal.cancelRun(runId);
            } catch (RuntimeException noWorkflow) {
                log.debug("run {} has no workflow to cancel ({})", runId, noWorkflow.getMessage());
            }
        }
        return cancelled;
    }

    /** Parameters as stored (JSON text), in spec order. */
    static Map<String, Object> parameters(String json) {
        return Json.read(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    }
}
