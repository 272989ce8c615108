package io.baton.pipeline;

import java.util.regex.Pattern;

/**
 * A step's {@code register:} key: when the step succeeds, its outputs matching {@code path} (a file or glob; all
 * of its outputs when null) become a new version of model {@code model}, created in the run's project if needed.
 */
public record RegisterSpec(String model, String path, String description) {
    /** Names of models and datasets: also what {@code model://} and {@code dataset://} references accept. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public static final String NAME_RULE =
            "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 128 characters";
}
