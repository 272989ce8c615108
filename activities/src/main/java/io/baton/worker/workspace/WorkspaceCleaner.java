package io.baton.worker.workspace;

import io.baton.common.Daemons;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes finished workspaces off the step's path, so that the next step need not wait for a folder's removal. */
public final class WorkspaceCleaner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceCleaner.class);

    /**
     * At most 64 wait; beyond that the attempt deletes its own, so that deletion keeps pace with the steps (and the
     * disk).
     */
    private final ExecutorService cleaner = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64),
            Daemons.named("workspace-cleaner"),
            new ThreadPoolExecutor.CallerRunsPolicy());

    public void deleteLater(Workspace workspace) {
        Runnable delete = () -> {
            try {
                workspace.delete();
            } catch (IOException e) {
                log.warn("cannot delete workspace {}: {}", workspace.root(), e.getMessage());
            }
        };
        if (cleaner.isShutdown()) {
            delete.run(); // the worker is closing: no thread of its own any more
        } else {
            cleaner.execute(delete);
        }
    }

    /** Waits (bounded) for the workspaces of finished attempts to be deleted. */
    @Override
    public void close() {
        cleaner.shutdown();
        try {
            if (!cleaner.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("workspaces still being deleted after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
