package io.baton.server.api;

/** {@code POST /api/v1/pipelines} and {@code POST /api/v1/pipelines/validate}. */
public record PipelineRegistration(String project, String spec) {}
