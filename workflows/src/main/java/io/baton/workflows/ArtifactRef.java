package io.baton.workflows;

/** A file a step produced: its path under the outputs folder and its content address. */
public record ArtifactRef(String path, String sha256, long size) {}
