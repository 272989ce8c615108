package io.baton.server.db;

/** A row of {@code audit}: one change made through the API, and its place in the hash chain. */
public record AuditRow(
        long seq,
        long atMs,
        String userName,
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
