package io.baton.server.db;

/** A row of {@code registry_files}: one file of a dataset or model version ({@code kind} DATASET or MODEL). */
public record RegistryFileRow(
        String kind,
        String project,
        String name,
        int version,
        String path,
        String pathSha256,
        String sha256,
        long sizeBytes) {}
