package io.baton.server.serving;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code /serve} proxy's settings (the {@code serving:} block of the server's YAML). */
public class ServingSettings {
    /** How long a replica may take to answer a request (to its answer's headers): then 504. */
    @JsonProperty
    public int requestTimeoutSeconds = 60;

    /** How long connecting to a replica may take before it counts as unreachable (and the request is retried). */
    @JsonProperty
    public int connectTimeoutMillis = 2_000;

    /** How long an endpoint's routing (its revisions and READY replicas) is used before it is read again. */
    @JsonProperty
    public int routeCacheMillis = 500;

    /** How long a replica that could not be reached is passed over by this server. */
    @JsonProperty
    public int unhealthyMillis = 5_000;

    /** How often this server writes its request counts to the database. */
    @JsonProperty
    public int metricsFlushMillis = 5_000;

    /** How long request counts are kept. */
    @JsonProperty
    public int metricsKeepHours = 24;
}
