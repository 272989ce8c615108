package io.baton.server.api;

import java.time.Instant;

/** One move of an alias: {@code from} null when it was first set, {@code to} null when it was removed. */
public record AliasMoveView(
        String model, String alias, Integer from, Integer to, String movedBy, Instant movedAt, String movedById) {}
