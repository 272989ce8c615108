package io.baton.protocol;

import java.util.List;

/** What a worker says about itself when it starts ({@code PUT /api/v1/workers/{name}}). */
public record WorkerRegistration(
        List<String> pools,
        int cpus,
        long memoryBytes,
        List<GpuInfo> gpus,
        int slots,
        String os,
        String pythonVersion,
        String cudaDriverVersion,
        String batonVersion) {
    public WorkerRegistration {
        pools = pools == null ? List.of() : List.copyOf(pools);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
