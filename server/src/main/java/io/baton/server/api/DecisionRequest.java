package io.baton.server.api;

/** {@code POST .../steps/{step}/approve} and {@code /reject}: an optional note. */
public record DecisionRequest(String note) {}
