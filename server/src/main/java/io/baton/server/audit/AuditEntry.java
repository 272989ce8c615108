package io.baton.server.audit;

/** One change to append: what the API answered, before it has a place (seq, hashes) in the chain. */
public record AuditEntry(
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
        String detail) {}
