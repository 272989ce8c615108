package io.baton.protocol;

import java.util.List;

/** A worker's periodic sign of life, with what it runs now. */
public record WorkerHeartbeat(List<RunningStep> running, boolean draining) {
    public WorkerHeartbeat {
        running = running == null ? List.of() : List.copyOf(running);
    }
}
