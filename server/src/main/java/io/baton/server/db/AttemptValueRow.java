package io.baton.server.db;

/** A row of {@code attempt_params} or {@code attempt_tags}: one name and value an attempt logged through MLflow. */
public record AttemptValueRow(String runId, String step, int attempt, String name, String itemValue) {}
