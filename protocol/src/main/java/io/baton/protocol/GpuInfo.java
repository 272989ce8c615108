package io.baton.protocol;

/** One GPU of a worker, as {@code nvidia-smi} reports it. */
public record GpuInfo(int index, String name, long memoryBytes, String uuid) {}
