package io.baton.server.api;

import java.time.Instant;

/** Where an alias of a model points now, and who moved it there when. */
public record AliasView(String model, String alias, int version, String movedBy, Instant movedAt, String movedById) {}
