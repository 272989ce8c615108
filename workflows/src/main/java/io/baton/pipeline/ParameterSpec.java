package io.baton.pipeline;

import java.util.List;

/**
 * One declared parameter. {@code defaultValue} is already of the parameter's Java type (String, Long, Double,
 * Boolean; an enum's choice as written) or null when there is no default (then a run must give a value).
 * {@code min}/{@code max} are null when absent; {@code choices} is empty unless the type is ENUM.
 */
public record ParameterSpec(
        String name,
        ParameterType type,
        Object defaultValue,
        Double min,
        Double max,
        List<Object> choices,
        String description) {
    public ParameterSpec {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }
}
