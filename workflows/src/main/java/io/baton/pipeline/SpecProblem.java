package io.baton.pipeline;

/**
 * One problem found in a spec: where (a path such as {@code steps[1].needs[0]}, and the 1-based line and column
 * in the YAML text when known, else null) and what is wrong.
 */
public record SpecProblem(String path, Integer line, Integer column, String message) {}
