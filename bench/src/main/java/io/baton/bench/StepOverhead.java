package io.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-step time of an N-step no-op chain through Baton against bare Temporal, runs alternating (docs/benchmarks.md).
 * Usage: {@code StepOverhead API_BASE TOKEN_FILE TEMPORAL_TARGET [STEPS] [RUNS] [SLOTS] [WARMUP]}
 */
public final class StepOverhead {
    private static void breakdown(JsonNode run, List<Double> gaps, List<Double> attempts, List<Double> records) {
        Instant previous = null;
        for (var step : run.get("steps")) {
            var attempt = step.get("attempts").get(0);
            Instant started = Instant.parse(attempt.get("startedAt").asText());
            Instant finished = Instant.parse(attempt.get("finishedAt").asText());
            Instant recorded = Instant.parse(step.get("finishedAt").asText());
            if (previous != null) {
                gaps.add((double) Duration.between(previous, started).toMillis());
            }
            attempts.add((double) Duration.between(started, finished).toMillis());
            records.add((double) Duration.between(finished, recorded).toMillis());
            previous = recorded;
        }
    }

    public static void main(String[] args) throws Exception {
        Baton baton = new Baton(args[0], Files.readString(Path.of(args[1])).trim());
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int slots = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 2;
        String spec = Baton.chainSpec("chain", steps);
        List<Double> batonPerStep = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        List<Double> attempts = new ArrayList<>();
        List<Double> records = new ArrayList<>();
        List<Double> barePerStep = new ArrayList<>();
        List<Double> matchedPerStep = new ArrayList<>();
        try (Bare bare = new Bare(args[2], slots)) {
            for (int i = 0; i < runs + warmup; i++) {
                long t0 = System.nanoTime();
                JsonNode run = baton.await(baton.submit(spec));
                double batonMs = (System.nanoTime() - t0) / 1e6 / steps;
                if (i >= warmup) {
                    breakdown(run, gaps, attempts, records);
                }
                t0 = System.nanoTime();
                bare.chain().run(steps);
                double bareMs = (System.nanoTime() - t0) / 1e6 / steps;
                t0 = System.nanoTime();
                bare.matchedChain().run(steps);
                double matchedMs = (System.nanoTime() - t0) / 1e6 / steps;
                if (i >= warmup) { // warm-up
                    batonPerStep.add(batonMs);
                    barePerStep.add(bareMs);
                    matchedPerStep.add(matchedMs);
                }
            }
        }
        double p50 = Baton.percentile(batonPerStep, 0.5) / Baton.percentile(barePerStep, 0.5);
        double p95 = Baton.percentile(batonPerStep, 0.95) / Baton.percentile(barePerStep, 0.95);
        System.out.printf(
                "step overhead: %d-step chain of no-op steps, %d runs each (after %d warm-up runs)%n",
                steps, runs, warmup);
        System.out.printf(
                "  baton per step: p50 %6.1f ms  p95 %6.1f ms%n",
                Baton.percentile(batonPerStep, 0.5), Baton.percentile(batonPerStep, 0.95));
        System.out.printf(
                "  bare  per step: p50 %6.1f ms  p95 %6.1f ms%n",
                Baton.percentile(barePerStep, 0.5), Baton.percentile(barePerStep, 0.95));
        System.out.printf(
                "  bare, no eager dispatch, per step: p50 %6.1f ms  p95 %6.1f ms%n",
                Baton.percentile(matchedPerStep, 0.5), Baton.percentile(matchedPerStep, 0.95));
        System.out.printf("  ratio baton/bare: p50 %.2f  p95 %.2f  (goal: at most 1.5)%n", p50, p95);
        System.out.printf(
                "  ratio baton/bare without eager dispatch: p50 %.2f  p95 %.2f%n",
                Baton.percentile(batonPerStep, 0.5) / Baton.percentile(matchedPerStep, 0.5),
                Baton.percentile(batonPerStep, 0.95) / Baton.percentile(matchedPerStep, 0.95));
        System.out.printf(
                "  where a Baton step's time goes (server clock, p50): previous step recorded -> attempt"
                        + " reported %.0f ms, attempt reported -> attempt finished %.0f ms, attempt finished -> step recorded"
                        + " %.0f ms%n",
                Baton.percentile(gaps, 0.5), Baton.percentile(attempts, 0.5), Baton.percentile(records, 0.5));
    }
}
