package io.baton.server.db;

/** A row of {@code approvals}: who approved or rejected a step, with their note. */
public record ApprovalRow(String runId, String step, boolean approved, String decidedBy, String note, long decidedAt) {}
