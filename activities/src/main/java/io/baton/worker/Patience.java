package io.baton.worker;

import java.io.IOException;
import java.time.Duration;

/**
 * How long a worker waits out a server (or, in process, a database) that is away: pauses that double from 200 ms up
 * to 2 s between tries, until the patience is spent; then the report fails as the server being unavailable (503).
 */
public final class Patience {
    private final long deadline;
    private long pauseMillis = 200;

    public Patience(Duration patience) {
        this.deadline = System.nanoTime() + patience.toNanos();
    }

    /** Waits before the next try of {@code what}, which failed with {@code problem}; throws once patience is spent. */
    public void pause(String what, String problem) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new ServerClient.ServerException(what + " failed: " + problem, 503);
        }
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
        pauseMillis = Math.min(pauseMillis * 2, 2000);
    }
}
