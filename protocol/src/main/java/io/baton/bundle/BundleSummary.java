package io.baton.bundle;

/** What an accepted bundle holds: regular files and their total unpacked size. */
public record BundleSummary(int files, long unpackedBytes) {}
