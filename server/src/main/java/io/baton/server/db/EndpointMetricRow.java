package io.baton.server.db;

/** One server's counts of one endpoint version in one 10-second bucket; latency is a histogram as JSON. */
public record EndpointMetricRow(
        String endpointId, int version, long bucket, String server, long requests, long errors, String latency) {}
