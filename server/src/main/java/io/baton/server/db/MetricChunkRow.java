package io.baton.server.db;

/** A row of {@code metric_chunks}: one log batch's points of one metric, packed (io.baton.protocol.PackedPoints). */
public record MetricChunkRow(String step, int attempt, String name, String points) {}
