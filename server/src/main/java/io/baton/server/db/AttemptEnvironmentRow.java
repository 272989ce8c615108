package io.baton.server.db;

/**
 * Where an attempt ran: the {@code environment} and {@code hardware} JSON its worker reported when it started (null
 * for attempts reported without them), and the size of its log. Kept apart from {@link AttemptRow}: read for a run's record, not its views.
 */
public record AttemptEnvironmentRow(
        String runId, String step, int number, String environment, String hardware, long logBytes) {}
