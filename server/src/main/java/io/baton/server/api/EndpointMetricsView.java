package io.baton.server.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/endpoints/{name}/metrics}: an endpoint's traffic per model version over recent windows. */
public record EndpointMetricsView(String endpoint, String project, int bucketSeconds, List<Window> windows) {
    /** One window ({@code 1m}, {@code 15m}, {@code 1h}): the buckets from {@code from} on, across servers. */
    public record Window(String window, Instant from, List<Version> versions) {}

    /** One model version's requests in a window; latencies in ms, null without requests. */
    public record Version(int version, long requests, long errors, double errorRate, Double p50Ms, Double p99Ms) {}
}
