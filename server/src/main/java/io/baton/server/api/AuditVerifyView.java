package io.baton.server.api;

/**
 * {@code GET /api/v1/audit/verify}: whether the chain holds, how many entries it has, the first entry that cannot
 * be trusted (null when valid), how many anchored heads were checked and the last entry one covers (entries after it
 * are not yet anchored), and what was found wrong.
 */
public record AuditVerifyView(
        boolean valid, long entries, Long firstBroken, int anchors, long anchoredTo, String problem) {}
