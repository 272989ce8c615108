package io.baton.server.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits on a condition with a bound (tests never sleep and hope). */
public final class Wait {
    private Wait() {}

    public static <T> T until(String what, Duration max, Supplier<T> probe) {
        long deadline = System.nanoTime() + max.toNanos();
        Throwable last = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + max.toSeconds() + "s waiting for " + what
                                + (last == null ? "" : " (last error: " + last + ")"),
                        last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
