package io.baton.server.attempts;

import io.baton.common.Hashing;
import io.baton.pipeline.Outputs;
import io.baton.pipeline.RegisterSpec;
import io.baton.server.core.Json;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.runs.RunEndWaits;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.CacheQuery;
import io.baton.workflows.CacheResult;
import io.baton.workflows.RecordedStep;
import io.baton.workflows.RunOutcome;
import io.baton.workflows.StepOutcome;
import io.baton.workflows.StepStatus;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Writes the ends of steps and runs that the workflow reports through its control activities, and cache hits. */
public final class StepEnds {
    private final Jdbi jdbi;
    private final ModelRegistry models;
    private final RunEndWaits ends;

    /** Step ends whose run ends wake nobody (no client waits on them). */
    public StepEnds(Jdbi jdbi, ModelRegistry models) {
        this(jdbi, models, new RunEndWaits(Runnable::run));
    }

    /** {@code ends}: told of every run end committed here, for the clients that wait for it. */
    public StepEnds(Jdbi jdbi, ModelRegistry models, RunEndWaits ends) {
        this.jdbi = jdbi;
        this.models = models;
        this.ends = ends;
    }

    /** A cached step's full key; on a hit the step is recorded CACHED with the earlier step's outputs. */
    public CacheResult findCached(CacheQuery query) {
        List<String> inputs = query.inputs().stream()
                .map(i -> i.name() + "\n" + i.producer() + "\n" + i.path() + "\n" + i.sha256())
                .sorted()
                .toList();
        String key = Hashing.sha256(query.keyBase() + "\n" + String.join("\n", inputs));
        return jdbi.inTransaction(h -> {
            StepWrites.recordInputs(h, query.runId(), query.step(), query.inputs());
            StepDao steps = h.attach(StepDao.class);
            var earlier = steps.cached(key, query.runId());
            if (earlier.isEmpty() || earlier.get().outputs() == null) {
                steps.setCacheKey(query.runId(), query.step(), key);
                return new CacheResult(key, null, null);
            }
            steps.finish(
                    query.runId(),
                    query.step(),
                    StepStatus.CACHED.name(),
                    null,
                    "cached: the same step succeeded in run " + earlier.get().runId(),
                    System.currentTimeMillis(),
                    earlier.get().outputs(),
                    key,
                    earlier.get().runId());
            return new CacheResult(
                    key,
                    StepWrites.outputsOf(earlier.get().outputs()),
                    earlier.get().runId());
        });
    }

    public void stepWaiting(String runId, String step, String reason) {
        jdbi.useExtension(StepDao.class, dao -> dao.markWaiting(runId, step, StepWrites.truncate(reason)));
    }

    /**
     * The workflow's word on a step's end; attempts still open then were lost with their worker. A step that
     * succeeded and has {@code register:} in its plan registers its outputs as a model version, in the same
     * transaction.
     */
    public RecordedStep stepFinished(StepOutcome outcome) {
        return jdbi.inTransaction(h -> {
            long now = System.currentTimeMillis();
            StepWrites.recordInputs(h, outcome.runId(), outcome.step(), outcome.inputs());
            String message = outcome.message();
            StepDao steps = h.attach(StepDao.class);
            if (outcome.status() == StepStatus.SUCCEEDED
                    && outcome.register() != null
                    && steps.find(outcome.runId(), outcome.step())
                            .map(s -> !StepStatus.valueOf(s.status()).terminal())
                            .orElse(false)) {
                message = register(h, outcome);
            }
            int finished = steps.finish(
                    outcome.runId(),
                    outcome.step(),
                    outcome.status().name(),
                    outcome.exitCode(),
                    StepWrites.truncate(message),
                    now,
                    outcome.status().succeeded() ? Json.write(outcome.outputs()) : null,
                    outcome.cacheKey(),
                    null);
            String open = outcome.status() == StepStatus.CANCELLED
                    ? AttemptStatus.CANCELLED.name()
                    : AttemptStatus.LOST.name();
            h.attach(AttemptDao.class)
                    .closeOpen(
                            outcome.runId(),
                            outcome.step(),
                            open,
                            outcome.status() == StepStatus.CANCELLED ? "cancelled" : "its worker stopped reporting",
                            now);
            if (finished == 0 && !outcome.status().succeeded()) {
                // ended before: an attempt's report may have ended it SUCCEEDED, and Temporal never heard of that
                // success
                Optional<List<ArtifactRef>> outputs = StepWrites.succeededOutputs(h, outcome.runId(), outcome.step());
                if (outputs.isPresent()) {
                    return new RecordedStep(StepStatus.SUCCEEDED, outputs.get());
                }
            }
            return new RecordedStep(outcome.status(), outcome.outputs());
        });
    }

    /** The step's {@code register:}: what became of it, in words. */
    private String register(Handle h, StepOutcome outcome) {
        RegisterSpec register = outcome.register();
        List<ArtifactRef> files = outcome.outputs().stream()
                .filter(o -> register.path() == null || Outputs.selects(register.path(), o.path()))
                .toList();
        RunRow run = h.attach(RunDao.class).find(outcome.runId()).orElseThrow();
        return models.registerFromStep(h, run, outcome.step(), files, register.model(), register.description());
    }

    public void runFinished(RunOutcome outcome) {
        jdbi.useExtension(
                RunDao.class,
                dao -> dao.finish(
                        outcome.runId(),
                        outcome.status().name(),
                        StepWrites.truncate(outcome.message()),
                        System.currentTimeMillis()));
        ends.ended(outcome.runId());
    }
}
