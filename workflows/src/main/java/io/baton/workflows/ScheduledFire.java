package io.baton.workflows;

/**
 * What a fire recorded: the run's plan (null when the fire records no run, {@code reason} says why) and whether the
 * server sets Baton's search attributes on runs.
 */
public record ScheduledFire(RunPlan plan, String reason, boolean searchAttributes) {}
