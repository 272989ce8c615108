package io.baton.server.db;

/** A READY replica of an endpoint and where it listens ({@code host:port}). */
public record RoutableReplicaRow(String id, int revision, int version, String address) {}
