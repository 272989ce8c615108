package io.baton.server.serving;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in fixed log-scale buckets, the same on every server so that their counts add up: bucket 0 holds what
 * took under 0.1 ms, bucket i (1..) what took 0.1 ms × 2^((i-1)/8) up to 0.1 ms × 2^(i/8), the last one the rest.
 */
public final class LatencyHistogram {
    /** 0.1 ms to about 10 minutes (0.1 ms × 2^(190/8)). */
    public static final int SIZE = 192;

    private static final double FIRST_MICROS = 100;
    private static final double STEPS_PER_DOUBLING = 8;

    private final long[] counts;

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    public static LatencyHistogram empty() {
        return new LatencyHistogram(new long[SIZE]);
    }

    static int index(long nanos) {
        double micros = nanos / 1000.0;
        if (micros < FIRST_MICROS) {
            return 0;
        }
        int i = 1 + (int) Math.floor(Math.log(micros / FIRST_MICROS) / Math.log(2) * STEPS_PER_DOUBLING);
        return Math.min(i, SIZE - 1);
    }

    /** A bucket's representative latency in milliseconds: the geometric middle of its bounds. */
    static double millis(int index) {
        if (index == 0) {
            return FIRST_MICROS / 2 / 1000;
        }
        return FIRST_MICROS * Math.pow(2, (index - 0.5) / STEPS_PER_DOUBLING) / 1000;
    }

    /** Counts one latency into a live histogram. */
    static void count(AtomicLongArray live, long nanos) {
        live.incrementAndGet(index(nanos));
    }

    static LatencyHistogram of(AtomicLongArray live) {
        long[] c = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            c[i] = live.get(i);
        }
        return new LatencyHistogram(c);
    }

    /** The stored form: {@code {"index": count}} for the buckets that hold any. */
    public String toJson() {
        Map<String, Long> sparse = new LinkedHashMap<>();
        for (int i = 0; i < SIZE; i++) {
            if (counts[i] > 0) {
                sparse.put(Integer.toString(i), counts[i]);
            }
        }
        return Json.write(sparse);
    }

    public static LatencyHistogram fromJson(String json) {
        long[] c = new long[SIZE];
        Map<String, Long> sparse = Json.read(json, new TypeReference<TreeMap<String, Long>>() {});
        sparse.forEach((k, v) -> {
            int i = Integer.parseInt(k);
            if (i >= 0 && i < SIZE && v != null && v > 0) {
                c[i] += v;
            }
        });
        return new LatencyHistogram(c);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < SIZE; i++) {
            counts[i] += other.counts[i];
        }
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** The latency under which a share {@code p} (0..1) of the counted requests fell, in ms; null when none. */
    public Double percentile(double p) {
        long total = total();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return millis(i);
            }
        }
        return millis(SIZE - 1);
    }
}
