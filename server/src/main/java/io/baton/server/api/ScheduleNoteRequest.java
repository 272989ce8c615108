package io.baton.server.api;

/** {@code POST /api/v1/schedules/{name}/pause} and {@code .../unpause}: an optional note, e.g. why. */
public record ScheduleNoteRequest(String note) {}
