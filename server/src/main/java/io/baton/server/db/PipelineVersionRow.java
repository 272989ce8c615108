package io.baton.server.db;

/** A row of {@code pipeline_versions}: one registered content of a pipeline. */
public record PipelineVersionRow(
        String project, String name, int version, String spec, String specSha256, String createdBy, long createdAt) {}
