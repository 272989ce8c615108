package io.baton.server.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.api.RunSubmission;
import io.baton.server.api.RunView;
import io.baton.server.auth.Caller;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.server.temporal.TemporalService;
import io.baton.spec.Parameters;
import io.baton.spec.PipelineSpec;
import io.baton.spec.SpecException;
import io.baton.spec.SpecParser;
import io.baton.spec.SpecProblem;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.RunStatus;
import io.baton.workflows.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits runs: checks everything a client sent, records the run and its steps in one transaction, then starts its
 * workflow. If Temporal cannot be reached the run stays QUEUED and the {@link Reconciler} starts it later.
 */
public final class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private final Jdbi jdbi;
  private final BundleService bundles;
  private final TemporalService temporal;
  private final RunViews views;

  public RunService(Jdbi jdbi, BundleService bundles, TemporalService temporal, RunViews views) {
    this.jdbi = jdbi;
    this.bundles = bundles;
    this.temporal = temporal;
    this.views = views;
  }

  /** The result of a submission; {@code created} is false when an idempotency key returned an earlier run. */
  public record Submitted(RunView run, boolean created) {
  }

  public Submitted submit(RunSubmission request, Caller caller, String idempotencyKey) {
    if (request == null) {
      throw BatonException.badRequest("the body must be a JSON object with 'spec' (the baton.yaml text)");
    }
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw BatonException.badRequest("Idempotency-Key must be 1-200 printable ASCII characters without spaces");
    }
    if (idempotencyKey != null) {
      Optional<RunRow> earlier = jdbi.onDemand(RunDao.class).findByIdempotencyKey(caller.name(), idempotencyKey);
      if (earlier.isPresent()) {
        return new Submitted(views.run(earlier.get().id()), false);
      }
    }
    String project = request.project() == null ? "default" : request.project();
    if (!PROJECT.matcher(project).matches()) {
      throw BatonException.badRequest("'project' must match [a-z0-9][a-z0-9-]{0,62}, not '" + project + "'");
    }
    if (request.pipeline() != null || request.pipelineVersion() != null) {
      throw BatonException.badRequest("runs of registered pipelines ('pipeline') are not supported by this version"
          + " of Baton yet; send the baton.yaml text as 'spec'");
    }
    if (request.spec() == null || request.spec().isBlank()) {
      throw BatonException.badRequest("'spec' is required: the text of a baton.yaml");
    }
    int priority = request.priority() == null ? 3 : request.priority();
    if (priority < 1 || priority > 5) {
      throw BatonException.badRequest("'priority' must be 1 (highest) to 5, not " + priority);
    }
    PipelineSpec spec = parse(request.spec());
    Map<String, Object> parameters;
    try {
      parameters = Parameters.resolve(spec, request.parameters() == null ? Map.of() : request.parameters());
    } catch (SpecException e) {
      throw new BatonException(400, "invalid_parameters", e.getMessage(), e.problems());
    }
    String bundle = request.bundle();
    if (bundle != null) {
      if (!FolderBlobStore.isSha256(bundle)) {
        throw BatonException.badRequest("'bundle' must be the sha256 (64 lower-case hex digits) that"
            + " POST /api/v1/bundles returned");
      }
      if (!bundles.exists(bundle)) {
        throw BatonException.badRequest("no bundle with sha256 " + bundle + "; upload it with POST /api/v1/bundles");
      }
    }
    String runId = Ids.newId();
    RunPlan plan = RunPlanner.plan(runId, project, spec, bundle, priority, caller.name(), parameters);
    RunRow row = new RunRow(runId, project, spec.name(), null, RunStatus.QUEUED.name(),
        PipelineWorkflow.workflowId(runId), bundle, request.spec(), Hashes.sha256(request.spec()),
        Json.write(parameters), Json.write(plan), priority, caller.name(), System.currentTimeMillis(), null, null,
        null, null, null, idempotencyKey);
    List<StepRow> steps = IntStream.range(0, plan.steps().size())
        .mapToObj(i -> new StepRow(runId, plan.steps().get(i).name(), i, plan.steps().get(i).pool(),
            StepStatus.PENDING.name(), null, null, null, null))
        .toList();
    try {
      jdbi.useTransaction(h -> {
        h.attach(RunDao.class).insert(row);
        h.attach(StepDao.class).insertAll(steps);
      });
    } catch (UnableToExecuteStatementException e) {
      if (idempotencyKey != null) { // the same key submitted twice at once: the first one wins
        Optional<RunRow> earlier = jdbi.onDemand(RunDao.class).findByIdempotencyKey(caller.name(), idempotencyKey);
        if (earlier.isPresent()) {
          return new Submitted(views.run(earlier.get().id()), false);
        }
      }
      throw e;
    }
    start(row);
    return new Submitted(views.run(runId), true);
  }

  /** Starts a recorded run's workflow; a run whose workflow already exists is left alone. */
  public void start(RunRow row) {
    try {
      temporal.startRun(Json.read(row.plan(), RunPlan.class));
    } catch (RuntimeException e) {
      log.warn("cannot start the workflow of run {} now ({}); it stays QUEUED and will be started later",
          row.id(), e.getMessage());
    }
  }

  static PipelineSpec parse(String text) {
    PipelineSpec spec;
    try {
      spec = SpecParser.parse(text);
    } catch (SpecException e) {
      throw new BatonException(400, "invalid_spec", e.getMessage(), e.problems());
    }
    List<SpecProblem> unsupported = RunPlanner.unsupported(spec);
    if (!unsupported.isEmpty()) {
      throw new BatonException(400, "invalid_spec", new SpecException(unsupported).getMessage(), unsupported);
    }
    return spec;
  }

  /** Parameters as stored (JSON text), in spec order. */
  static Map<String, Object> parameters(String json) {
    return Json.read(json, new TypeReference<LinkedHashMap<String, Object>>() { });
  }

  static List<String> ids(List<RunRow> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.id()));
    return ids;
  }
}
