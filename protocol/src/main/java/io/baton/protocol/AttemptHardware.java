package io.baton.protocol;

import java.util.List;

/** The machine an attempt ran on: its worker's CPUs, memory and GPUs, and the indices of the GPUs the attempt got. */
public record AttemptHardware(
        String worker, String cpuModel, int cpus, long memoryBytes, List<GpuInfo> gpus, List<Integer> stepGpus) {
    public AttemptHardware {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        stepGpus = stepGpus == null ? List.of() : List.copyOf(stepGpus);
    }
}
