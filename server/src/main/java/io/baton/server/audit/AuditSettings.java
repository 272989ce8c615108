package io.baton.server.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** The audit log's settings ({@code audit:} in the YAML). */
public class AuditSettings {
    /** Record every change made through the API (docs/security.md, "Audit log"). */
    @JsonProperty
    public boolean enabled = true;

    /** How often the chain's head is recorded in Temporal (workflow {@code audit-anchor}); 0: never. */
    @Min(0)
    @JsonProperty
    public int anchorSeconds = 10;

    /** The anchor workflow's id: one per Baton installation sharing a Temporal namespace. */
    @JsonProperty
    public String anchorWorkflowId = "audit-anchor";

    /** The task queue the servers run the anchor workflow on. */
    @JsonProperty
    public String anchorTaskQueue = "baton-audit";

    /** Heads one run of the anchor workflow records before it continues as new (its history stays short). */
    @Min(1)
    @JsonProperty
    public int anchorsPerWorkflowRun = 500;

    /** Entries waiting for the writer; a request waits (at most 5 s) when it is full. */
    @Min(1)
    @JsonProperty
    public int queueCapacity = 100_000;

    /** Entries the writer appends in one transaction at most. */
    @Min(1)
    @JsonProperty
    public int batchSize = 500;

    /**
     * How long the writer waits for more entries after the first of a batch: fewer, larger transactions under load,
     * at the price of entries reaching the database this much later. 0: write what waits at once.
     */
    @Min(0)
    @JsonProperty
    public int lingerMillis = 5;
}
