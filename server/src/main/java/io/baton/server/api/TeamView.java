package io.baton.server.api;

import java.time.Instant;
import java.util.List;

/** A team and its members' names (team {@code everyone} lists none: it holds every user). */
public record TeamView(String name, String description, String createdBy, Instant createdAt, List<String> members) {}
