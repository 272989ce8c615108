package io.baton.worker.serving;

import io.baton.common.Daemons;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Work that may take long (a download, a report to a server that is away), done while the activity heartbeats. */
final class Background {
    private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.named("replica-background"));

    /** A checked exception of the work, as its cause. */
    static final class Failed extends RuntimeException {
        Failed(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Answers what {@code work} answers, calling {@code beat} every second meanwhile. When {@code beat} throws (a
     * cancellation), the work is interrupted and awaited (up to 30 s) before the exception goes on: the workspace is
     * deleted next, not while a download still writes into it.
     */
    <T> T call(Callable<T> work, Runnable beat) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        CountDownLatch ended = new CountDownLatch(1);
        Future<?> running = threads.submit(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                ended.countDown();
            }
        });
        try {
            while (true) {
                try {
                    return result.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    beat.run();
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new Failed(e.getCause());
        } finally {
            if (!result.isDone()) {
                running.cancel(true);
                awaitQuietly(ended);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch ended) {
        boolean interrupted = Thread.interrupted();
        try {
            ended.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
