package io.baton.server.api;

import java.time.Instant;

/** An entry of the audit log ({@code GET /api/v1/audit}). */
public record AuditEntryView(
        long seq,
        Instant at,
        String user,
        String userId,
        String tokenKind,
        String action,
        String objectType,
        String objectId,
        String project,
        String address,
        int status,
        String detail,
        String prevHash,
        String hash) {}
