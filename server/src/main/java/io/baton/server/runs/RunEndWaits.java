package io.baton.server.runs;

import io.baton.pipeline.Durations;
import io.baton.server.api.RunView;
import io.baton.server.core.BatonException;
import io.baton.workflows.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Answers {@code GET /api/v1/runs/{id}?wait=30s} without a thread per waiting client and without polling. */
public final class RunEndWaits {
    /** The longest wait a client may ask for: proxies commonly close an idle request after a minute. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final Executor executor;

    /** {@code executor} reads the run again after a wake-up; the recorder's thread only completes a future. */
    public RunEndWaits(Executor executor) {
        this.executor = executor;
    }

    /** The {@code wait} parameter: absent means do not wait; at most {@link #MAX_WAIT}. */
    public static Duration parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Duration parsed;
        try {
            parsed = Durations.parse(wait);
        } catch (IllegalArgumentException e) {
            throw BatonException.badRequest("'wait': " + e.getMessage());
        }
        if (parsed.compareTo(MAX_WAIT) > 0) {
            throw BatonException.badRequest("'wait' may be at most " + Durations.format(MAX_WAIT) + ", not "
                    + Durations.format(parsed) + "; ask again to wait longer");
        }
        return parsed;
    }

    /** Called by the recorder once a run's end is committed: its waiters read it now. */
    public void ended(String runId) {
        Set<CompletableFuture<Void>> woken = waiting.remove(runId);
        if (woken != null) {
            woken.forEach(f -> f.complete(null));
        }
    }

    /**
     * Hands {@code done} the run read by {@code read} once it has ended or {@code max} has passed, whichever comes
     * first; or hands {@code failed} what {@code read} threw (an unknown run: 404). Returns at once.
     */
    public void whenEnded(
            String runId,
            Duration max,
            Supplier<RunView> read,
            Consumer<RunView> done,
            Consumer<RuntimeException> failed) {
        check(runId, System.nanoTime() + max.toNanos(), read, done, failed);
    }

    /** The number of runs some client waits for now (for tests: nothing is left behind). */
    int watched() {
        return waiting.size();
    }

    private void check(
            String runId,
            long deadline,
            Supplier<RunView> read,
            Consumer<RunView> done,
            Consumer<RuntimeException> failed) {
        // watched before the read: an end committed after the read still wakes this waiter
        CompletableFuture<Void> wake = watch(runId);
        RunView run;
        try {
            run = read.get();
        } catch (RuntimeException e) {
            forget(runId, wake);
            failed.accept(e);
            return;
        }
        long left = deadline - System.nanoTime();
        if (RunStatus.valueOf(run.status()).terminal() || left <= 0) {
            forget(runId, wake);
            done.accept(run);
            return;
        }
        wake.completeOnTimeout(null, Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS)
                .thenRunAsync(
                        () -> {
                            forget(runId, wake);
                            check(runId, deadline, read, done, failed);
                        },
                        executor);
    }

    private CompletableFuture<Void> watch(String runId) {
        CompletableFuture<Void> wake = new CompletableFuture<>();
        waiting.compute(runId, (id, set) -> {
            Set<CompletableFuture<Void>> waiters = set == null ? ConcurrentHashMap.newKeySet() : set;
            waiters.add(wake);
            return waiters;
        });
        return wake;
    }

    private void forget(String runId, CompletableFuture<Void> wake) {
        waiting.computeIfPresent(runId, (id, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }
}
