package io.baton.server.api;

import io.baton.protocol.GpuInfo;
import io.baton.protocol.RunningStep;
import java.time.Instant;
import java.util.List;

/**
 * A registered worker; {@code status} is derived from its heartbeats. {@code drainRequested}: a drain was asked
 * through the API; {@code draining}: the worker itself said it drains (it takes no new steps).
 */
public record WorkerView(
        String name,
        String status,
        List<String> pools,
        int cpus,
        long memoryBytes,
        List<GpuInfo> gpus,
        int slots,
        int usedSlots,
        Instant registeredAt,
        Instant lastHeartbeatAt,
        List<RunningStep> running,
        String os,
        String pythonVersion,
        String cudaDriverVersion,
        String batonVersion,
        boolean drainRequested,
        boolean draining) {}
