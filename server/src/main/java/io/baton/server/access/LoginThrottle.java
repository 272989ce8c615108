package io.baton.server.access;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per user name and per address: after {@code limit} failures within the window, further attempts
 * are refused until the oldest failure leaves it (a success clears the name's count). Kept in memory: each server
 * of a cluster counts its own.
 */
final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;
    private final int limit;
    private final long windowMillis;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Seconds until {@code key} may try again, or 0 when it may now. */
    long retryAfterSeconds(String key, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.pollFirst();
            }
            if (times.size() < limit) {
                return 0;
            }
            return Math.max(1, (times.peekFirst() + windowMillis - now + 999) / 1000);
        }
    }

    void failed(String key, long now) {
        if (failures.size() >= MAX_KEYS) {
            failures.clear();
        }
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (times.size() > limit) {
                times.pollFirst();
            }
        }
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}
