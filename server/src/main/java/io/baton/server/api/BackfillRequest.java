package io.baton.server.api;

/** {@code POST /api/v1/schedules/{name}/backfill}: the fires of [from, to) as ISO-8601 instants. */
public record BackfillRequest(String from, String to) {}
