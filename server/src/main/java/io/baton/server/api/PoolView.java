package io.baton.server.api;

import java.util.List;

/** A pool: its online workers, their slots and GPUs, and the steps queued for it in Temporal. */
public record PoolView(
        String name, int workersOnline, int slots, int usedSlots, int gpus, long backlog, List<String> projects) {}
