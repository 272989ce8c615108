package io.baton.server.audit;

/** A head of the audit chain as recorded in Temporal: entry {@code seq} had hash {@code hash} at {@code atMs}. */
public record AuditAnchor(long seq, String hash, long atMs) {}
