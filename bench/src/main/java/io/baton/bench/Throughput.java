package io.baton.bench;

import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * COUNT three-step no-op pipelines at once against as many bare Temporal workflows (docs/benchmarks.md).
 * Usage: {@code Throughput API_BASE TOKEN_FILE TEMPORAL_TARGET [COUNT] [SLOTS]}
 */
public final class Throughput {
    public static void main(String[] args) throws Exception {
        Baton baton = new Baton(args[0], Files.readString(Path.of(args[1])).trim());
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int slots = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        String spec = Baton.chainSpec("three", 3);
        baton.await(baton.submit(spec)); // warm-up
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long t0 = System.nanoTime();
        List<CompletableFuture<String>> submissions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            submissions.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return baton.submit(spec);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    pool));
        }
        Set<String> ids = new HashSet<>();
        submissions.forEach(f -> ids.add(f.join()));
        baton.awaitAll(ids);
        double batonSeconds = (System.nanoTime() - t0) / 1e9;

        double bareSeconds;
        double matchedSeconds;
        try (Bare bare = new Bare(args[2], slots)) {
            bare.chain().run(3); // warm-up
            t0 = System.nanoTime();
            List<CompletableFuture<Void>> chains = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                chains.add(WorkflowClient.execute(bare.chain()::run, 3));
            }
            CompletableFuture.allOf(chains.toArray(new CompletableFuture[0])).join();
            bareSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            List<CompletableFuture<Void>> matched = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                matched.add(WorkflowClient.execute(bare.matchedChain()::run, 3));
            }
            CompletableFuture.allOf(matched.toArray(new CompletableFuture[0])).join();
            matchedSeconds = (System.nanoTime() - t0) / 1e9;
        }
        pool.shutdownNow();
        System.out.printf(
                "throughput: %d three-step no-op pipelines submitted at once, %d worker slots%n", count, slots);
        System.out.printf("  baton: %6.1f s  %6.2f pipelines/s%n", batonSeconds, count / batonSeconds);
        System.out.printf("  bare : %6.1f s  %6.2f workflows/s%n", bareSeconds, count / bareSeconds);
        System.out.printf(
                "  bare, no eager dispatch: %6.1f s  %6.2f workflows/s%n", matchedSeconds, count / matchedSeconds);
        System.out.printf("  ratio baton/bare rate: %.2f  (goal: at least 0.67)%n", bareSeconds / batonSeconds);
        System.out.printf("  ratio baton/bare rate without eager dispatch: %.2f%n", matchedSeconds / batonSeconds);
    }
}
