package io.baton.server.attempts;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.common.Hashing;
import io.baton.pipeline.Outputs;
import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.server.blobs.BlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.ArtifactDao;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.LogDao;
import io.baton.server.db.MetricDao;
import io.baton.server.db.QuotaDao;
import io.baton.server.db.QuotaRow;
import io.baton.server.db.RunDao;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepStateRow;
import io.baton.server.metrics.MetricIngest;
import io.baton.server.quota.QuotaAdmission;
import io.baton.server.registry.RegistryFiles;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.RunStatus;
import io.baton.workflows.StagedInput;
import io.baton.workflows.StepStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Writes what workers report about attempts: their start, log batches (with metric points) and finish. */
public final class AttemptRecorder {
    private final Jdbi jdbi;
    private final BlobStore blobs;

    public AttemptRecorder(Jdbi jdbi, BlobStore blobs) {
        this.jdbi = jdbi;
        this.blobs = blobs;
    }

    /**
     * A worker holds the step but cannot start attempt {@code number} yet: a step not started yet says why in its
     * {@code reason} (it stays PENDING: WAITING is for approvals). The attempt's start clears it.
     */
    public void attemptWaiting(String runId, String step, int number, AttemptWaiting waiting) {
        if (waiting == null
                || number < 1
                || waiting.worker() == null
                || waiting.worker().isBlank()
                || waiting.reason() == null
                || waiting.reason().isBlank()) {
            throw BatonException.badRequest("an attempt waiting needs 'worker' and 'reason', for attempt 1 or more");
        }
        jdbi.useTransaction(h -> {
            StepStateRow state = requireStep(h, runId, step, number);
            if (!state.attemptReported()
                    && !RunStatus.valueOf(state.runStatus()).terminal()) {
                h.attach(StepDao.class).notePending(runId, step, StepWrites.truncate(waiting.reason()));
            }
        });
    }

    /**
     * Records an attempt's start; answers how many earlier attempts failed their command (for the retry policy), or,
     * when a quota of the run's user or project is full, that the attempt waits (nothing recorded but the reason).
     */
    public AttemptStarted attemptStarted(String runId, String step, AttemptStart start) {
        if (start == null
                || start.number() < 1
                || start.worker() == null
                || start.worker().isBlank()) {
            throw BatonException.badRequest("an attempt start needs 'number' (1 or more) and 'worker'");
        }
        int gpus = start.hardware() == null ? 0 : start.hardware().stepGpus().size();
        List<QuotaRow> caps = QuotaAdmission.caps(jdbi, runId);
        if (caps.isEmpty()) {
            return jdbi.inTransaction(h -> start(h, runId, step, start, gpus, () -> null));
        }
        // read committed: once the caps' locks are held, the running attempts are counted as committed, not as they
        // were when the transaction began
        return jdbi.inTransaction(
                TransactionIsolationLevel.READ_COMMITTED,
                h -> start(h, runId, step, start, gpus, () -> QuotaAdmission.lockAndCheck(h, caps, runId, step, gpus)));
    }

    /** {@code admission}: why the attempt must wait, or null; asked once the start would record the attempt. */
    private AttemptStarted start(
            Handle h, String runId, String step, AttemptStart start, int gpus, Supplier<String> admission) {
        {
            StepStateRow state = requireStep(h, runId, step, start.number());
            String runStatus = state.runStatus();
            AttemptDao attempts = h.attach(AttemptDao.class);
            boolean first = start.number() == 1; // nothing came before it: two queries fewer on every step's path
            if (StepStatus.SUCCEEDED.name().equals(state.stepStatus())) {
                // an earlier attempt's report ended the step, and its answer to Temporal was lost: nothing runs again
                return stepSucceeded(start.number(), state.outputs());
            }
            AttemptStarted answer = new AttemptStarted(
                    start.number(), first ? 0 : attempts.failuresBefore(runId, step, start.number()));
            if (state.attemptReported()) {
                return answer; // reported before
            }
            if (RunStatus.valueOf(runStatus).terminal()) {
                throw BatonException.conflict("run " + runId + " has ended (" + runStatus + "); it takes no attempts");
            }
            String wait = admission.get();
            if (wait != null) {
                h.attach(StepDao.class).notePending(runId, step, StepWrites.truncate(wait));
                return AttemptStarted.waiting(start.number(), wait);
            }
            long now = System.currentTimeMillis();
            if (!first) {
                // takes the row lock of an earlier attempt still open: its worker's late success report, which may end
                // the
                // step, either committed before (the attempt is no longer RUNNING) or finds the attempt LOST after
                attempts.closeEarlierAsLost(
                        runId,
                        step,
                        start.number(),
                        "its worker stopped reporting before attempt " + start.number() + " started",
                        now);
            }
            StepDao steps = h.attach(StepDao.class);
            if (steps.markRunning(runId, step, now) == 0) {
                // the step ended since it was read: an earlier attempt's report did it a moment ago (read it as it is
                // now)
                Optional<List<ArtifactRef>> outputs = StepWrites.succeededOutputs(h, runId, step);
                if (outputs.isPresent()) {
                    return new AttemptStarted(start.number(), 0, true, outputs.get());
                }
            }
            attempts.insert(
                    runId,
                    step,
                    start.number(),
                    start.worker(),
                    now,
                    Json.writeOrNull(start.environment()),
                    Json.writeOrNull(start.hardware()));
            if (gpus > 0) {
                h.attach(QuotaDao.class).holdGpus(runId, step, start.number(), gpus);
            }
            if (RunStatus.QUEUED.name().equals(runStatus)) { // only a run's first attempt changes it
                h.attach(RunDao.class).markRunning(runId, now);
            }
            return answer;
        }
    }

    /** The answer to attempt {@code number} of a step that an earlier attempt ended with these outputs (JSON). */
    private static AttemptStarted stepSucceeded(int number, String outputs) {
        return new AttemptStarted(number, 0, true, StepWrites.outputsOf(outputs));
    }

    public void attemptFinished(String runId, String step, int number, AttemptFinish finish) {
        if (finish == null || finish.status() == null || finish.status() == AttemptStatus.RUNNING) {
            throw BatonException.badRequest("an attempt finish needs a terminal 'status'");
        }
        for (ArtifactRef out : finish.outputs()) {
            if (!blobs.size(out.sha256()).isPresent()) {
                throw BatonException.badRequest("output '" + out.path() + "' names blob " + out.sha256()
                        + ", which was not uploaded (POST /api/v1/blobs first)");
            }
            if (Outputs.problem(out.path()) != null || out.path().length() > 1024) {
                throw BatonException.badRequest("output path '" + out.path() + "' " + Outputs.problem(out.path()));
            }
        }
        if (finish.endsStep() && finish.status() != AttemptStatus.SUCCEEDED) {
            throw BatonException.badRequest(
                    "'endsStep' is only for a SUCCEEDED attempt; the workflow records a step that"
                            + " did not succeed");
        }
        checkInputs(finish.inputs());
        jdbi.useTransaction(h -> {
            long now = System.currentTimeMillis();
            AttemptDao attempts = h.attach(AttemptDao.class);
            int closed = attempts.finish(
                    runId,
                    step,
                    number,
                    finish.status().name(),
                    finish.exitCode(),
                    StepWrites.truncate(finish.message()),
                    now);
            if (closed == 0) {
                requireOpenAttempt(
                        h, runId, step, number); // 404 or 409, or else a report made before (or a lost attempt)
            }
            ArtifactDao artifacts = finish.outputs().isEmpty() ? null : h.attach(ArtifactDao.class);
            if (closed == 1 && artifacts != null && artifacts.count(runId, step, number) == 0) {
                for (ArtifactRef out : finish.outputs()) {
                    artifacts.insert(
                            runId, step, number, out.path(), Hashing.sha256(out.path()), out.sha256(), out.size(), now);
                }
            }
            if (finish.endsStep()
                    && (closed == 1
                            || attempts.find(runId, step, number)
                                    .map(a -> AttemptStatus.SUCCEEDED.name().equals(a.status()))
                                    .orElse(false))) {
                // the step's end, as the workflow would have written it after this success (a retried report changes
                // nothing: only a step still open is finished, its inputs are written once). Not for an attempt closed
                // as LOST meanwhile: a later attempt runs, and its outputs are the ones the workflow hands on.
                StepWrites.recordInputs(h, runId, step, finish.inputs());
                h.attach(StepDao.class)
                        .finish(
                                runId,
                                step,
                                StepStatus.SUCCEEDED.name(),
                                0,
                                null,
                                now,
                                Json.write(finish.outputs()),
                                null,
                                null);
            }
        });
    }

    /**
     * Stores a batch of output once (by its sequence number), and its metric points with it (checked before anything
     * is written).
     */
    public void appendLogs(String runId, String step, int number, LogBatch batch) {
        if (batch == null || batch.seq() < 0 || batch.text() == null) {
            throw BatonException.badRequest("a log batch needs 'seq' (0 or more) and 'text'");
        }
        List<MetricIngest.Series> series = MetricIngest.check(batch.packedMetrics());
        jdbi.useTransaction(h -> {
            requireOpenAttempt(h, runId, step, number);
            LogDao logs = h.attach(LogDao.class);
            if (logs.count(runId, step, number, batch.seq()) > 0) {
                return; // a batch sent again after a lost answer
            }
            byte[] bytes = batch.text().getBytes(StandardCharsets.UTF_8);
            // the attempt's running total, updated first: its row lock orders batches that arrive at once, and the
            // offset costs one row instead of a scan of every earlier chunk
            h.attach(AttemptDao.class).addLogBytes(runId, step, number, bytes.length);
            long end = h.attach(AttemptDao.class).logBytes(runId, step, number);
            logs.insert(runId, step, number, batch.seq(), end - bytes.length, bytes);
            if (!series.isEmpty()) {
                MetricIngest.store(h.attach(MetricDao.class), runId, step, number, batch.seq(), series);
            }
        });
    }

    /** The inputs an attempt's report says its step was given: each names a stored blob, once. */
    private void checkInputs(List<StagedInput> inputs) {
        Set<String> seen = new HashSet<>();
        for (StagedInput in : inputs) {
            String name = in.name() == null ? "" : in.name();
            String what = "input '" + abbreviate(name, API) + "'";
            if (name.isBlank() || name.length() > 200) {
                throw BatonException.badRequest("an input needs a 'name' of 1 to 200 characters");
            }
            try {
                // a file's path as datasets and models keep it (not a glob: "imgs/cat[1].jpg" is a file name)
                RegistryFiles.checkPath(in.path());
            } catch (BatonException e) {
                throw BatonException.badRequest(what + ": " + e.getMessage());
            }
            if (in.producer() != null
                    && (in.producer().isBlank() || in.producer().length() > 255)) {
                throw BatonException.badRequest(what + ": 'producer' must be 1 to 255 characters when given");
            }
            if (in.source() != null && in.source().length() > 400) {
                throw BatonException.badRequest(what + ": 'source' is longer than 400 characters");
            }
            if (in.sha256() == null || !in.sha256().matches("[0-9a-f]{64}") || in.size() < 0) {
                throw BatonException.badRequest(
                        what + " needs 'sha256' (64 lowercase hex digits) and a 'size' of 0 or more");
            }
            if (blobs.size(in.sha256()).isEmpty()) {
                throw BatonException.badRequest(what + " names blob " + in.sha256() + ", which is not stored");
            }
            if (!seen.add(name + "\n" + in.producer() + "\n" + in.path())) {
                throw BatonException.badRequest(what + " gives '" + abbreviate(in.path(), API) + "' twice");
            }
        }
    }

    /** The state of an existing step and its run, in one query; 404 when the run or the step is unknown. */
    private static StepStateRow requireStep(Handle h, String runId, String step, int number) {
        return h.attach(StepDao.class)
                .state(runId, step, number)
                .orElseThrow(() -> BatonException.notFound(
                        h.attach(RunDao.class).status(runId).isEmpty()
                                ? "no run with id '" + runId + "'"
                                : "run " + runId + " has no step '" + step + "'"));
    }

    /**
     * An attempt that exists, of a run that has not ended: a finished run's record is final, nothing reported after
     * its end is taken (409).
     */
    private static void requireOpenAttempt(Handle h, String runId, String step, int number) {
        String status = h.attach(AttemptDao.class)
                .runStatus(runId, step, number)
                .orElseThrow(() ->
                        BatonException.notFound("run " + runId + " step '" + step + "' has no attempt " + number));
        if (RunStatus.valueOf(status).terminal()) {
            throw BatonException.conflict(
                    "run " + runId + " has ended (" + status + "); its record is final and" + " takes no more reports");
        }
    }
}
