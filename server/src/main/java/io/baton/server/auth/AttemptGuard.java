package io.baton.server.auth;

import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptWaiting;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.AttemptDao;
import io.baton.server.db.AttemptRow;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * Who may report what about an attempt: a worker starts only a step Temporal gave it, and only it reports that
 * attempt's output and end; an attempt token writes only its own attempt's output. Admins may act for any worker.
 */
public final class AttemptGuard {
    private static final int MAX_OWNERS = 10_000;
    private final Jdbi jdbi;
    /** Asks Temporal whether the run's workflow has a step running on that worker (by its identity) now. */
    private final StepGivenTo temporal;
    /** An attempt's worker never changes once recorded: kept so that a log batch costs no query to check. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /** Temporal's view of which worker runs a run's steps. */
    public interface StepGivenTo {
        boolean stepGivenTo(String runId, String worker);
    }

    public AttemptGuard(Jdbi jdbi, StepGivenTo temporal) {
        this.jdbi = jdbi;
        this.temporal = temporal;
    }

    public void checkStart(Caller caller, String runId, String step, AttemptStart start) {
        if (caller.admin() || start == null) {
            return; // an admin may act for any worker; a missing body is the recorder's 400
        }
        if (!Caller.WORKER.equals(caller.kind())) {
            throw forbidden("only a worker starts attempts");
        }
        if (!caller.name().equals(start.worker())) {
            throw forbidden(
                    "worker token '" + caller.name() + "' cannot start an attempt for worker '" + start.worker() + "'");
        }
        if (!temporal.stepGivenTo(runId, caller.name())) {
            throw BatonException.conflict("Temporal did not give a step of run " + runId + " to worker '"
                    + caller.name() + "': an attempt starts only on the worker running it");
        }
    }

    /** A step waiting for room on a worker: only that worker says so, and only for a step Temporal gave it. */
    public void checkWaiting(Caller caller, String runId, AttemptWaiting waiting) {
        if (caller.admin() || waiting == null) {
            return;
        }
        if (!Caller.WORKER.equals(caller.kind()) || !caller.name().equals(waiting.worker())) {
            throw forbidden("only worker '" + waiting.worker() + "' says that its step waits for room");
        }
        if (!temporal.stepGivenTo(runId, caller.name())) {
            throw BatonException.conflict(
                    "Temporal did not give a step of run " + runId + " to worker '" + caller.name() + "'");
        }
    }

    /** A report of an attempt's output or end: its own worker's, or (output only) its own attempt token's. */
    public void checkReport(Caller caller, String runId, String step, int number, boolean output) {
        if (caller.admin()) {
            return;
        }
        if (Caller.ATTEMPT.equals(caller.kind())) {
            if (output && caller.isAttempt(runId, step, number)) {
                return;
            }
            throw forbidden("an attempt token writes only its own attempt's metrics and logs");
        }
        Optional<String> owner = owner(runId, step, number);
        if (owner.isPresent() && !owner.get().equals(caller.name())) {
            throw forbidden("attempt " + number + " of step '" + step + "' runs on worker '" + owner.get()
                    + "'; only that worker reports it");
        }
    }

    private Optional<String> owner(String runId, String step, int number) {
        String key = runId + "\n" + step + "\n" + number;
        String known = owners.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = jdbi.onDemand(AttemptDao.class)
                .find(runId, step, number)
                .map(AttemptRow::worker)
                .filter(Predicate.not(String::isEmpty));
        found.ifPresent(worker -> {
            if (owners.size() >= MAX_OWNERS) {
                owners.clear();
            }
            owners.put(key, worker);
        });
        return found;
    }

    private static BatonException forbidden(String message) {
        return new BatonException(403, ErrorCodes.FORBIDDEN, message);
    }
}
