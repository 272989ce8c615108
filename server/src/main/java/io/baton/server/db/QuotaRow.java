package io.baton.server.db;

/**
 * A quota of a user or a project ({@code kind} USER or PROJECT): at most {@code maxSteps} steps and {@code maxGpus}
 * GPUs running at once (null: no cap), and a project's {@code share} of its pools' fair queues (null: 1).
 */
public record QuotaRow(
        String kind, String name, Integer maxSteps, Integer maxGpus, Double share, String setBy, long setAt) {
    public static final String USER = "USER";
    public static final String PROJECT = "PROJECT";

    /** Whether this row caps anything (a row may hold only a project's share). */
    public boolean caps() {
        return maxSteps != null || maxGpus != null;
    }
}
