package io.baton.server.api;

/** An output file of an attempt. */
public record ArtifactView(String step, int attempt, String path, String sha256, long size) {}
