package io.baton.pipeline;

/** The types a pipeline parameter may have; {@code type:} in the spec, lower case. */
public enum ParameterType {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    ENUM
}
