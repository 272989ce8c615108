package io.baton.server.api;

/** An uploaded code bundle. */
public record BundleView(String sha256, long size, int files) {}
