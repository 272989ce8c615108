package io.baton.server.db;

/** One parameter of a run: its value as a number where it is one, and as text (null when too long to search). */
public record RunParameterRow(String name, Double number, String text) {}
