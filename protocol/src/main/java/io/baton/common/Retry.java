package io.baton.common;

import java.time.Duration;

/**
 * The pauses of a loop that tries something until it answers: fixed or doubling up to a cap, until the patience is
 * spent ({@link #spent}); the loop decides what a failed try and a spent patience mean.
 */
public final class Retry {
    private final long deadline;
    private final long maxPauseMillis;
    private long pauseMillis;

    private Retry(Duration patience, Duration pause, Duration maxPause) {
        long now = System.nanoTime();
        this.deadline = patience == null ? Long.MAX_VALUE : now + patience.toNanos();
        this.pauseMillis = pause.toMillis();
        this.maxPauseMillis = maxPause.toMillis();
    }

    /** The same pause between tries, for {@code patience}. */
    public static Retry every(Duration pause, Duration patience) {
        return new Retry(patience, pause, pause);
    }

    /** Pauses that double from {@code first} up to {@code max} between tries, for {@code patience}. */
    public static Retry doubling(Duration first, Duration max, Duration patience) {
        return new Retry(patience, first, max);
    }

    /** The same pause between tries, with no end: for a wait that something else ends (a cancel, an interrupt). */
    public static Retry forever(Duration pause) {
        return new Retry(null, pause, pause);
    }

    /** True once the patience is spent. */
    public boolean spent() {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0;
    }

    /** Waits before the next try. */
    public void pause() throws InterruptedException {
        Thread.sleep(pauseMillis);
        pauseMillis = Math.min(pauseMillis * 2, maxPauseMillis);
    }
}
