package io.baton.server.db;

/** A row of {@code bundles}. */
public record BundleRow(String sha256, long sizeBytes, int files, String createdBy, long createdAt) {}
