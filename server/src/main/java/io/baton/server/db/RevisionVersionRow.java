package io.baton.server.db;

/** The model version an endpoint's revision serves. */
public record RevisionVersionRow(int revision, int version) {}
