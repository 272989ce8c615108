package io.baton.workflows;

/** A user's answer to a step waiting for approval, sent to the run's workflow as a signal. */
public record ApprovalDecision(String step, boolean approved, String user, String note) {}
