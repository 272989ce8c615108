package io.baton.protocol;

import java.util.Map;

/**
 * The software an attempt ran on. {@code variables}: what Baton gave the step's process (the step's {@code env},
 * the {@code BATON_*} variables), with the values of secret-looking names redacted. {@code python} is null when
 * there is none or it could not be described; {@code pythonProblem} then says why.
 */
public record AttemptEnvironment(
        String image,
        Map<String, String> variables,
        PythonEnvironment python,
        String pythonProblem,
        OsInfo os,
        String batonVersion,
        String java) {
    public AttemptEnvironment {
        variables = variables == null ? Map.of() : variables;
    }
}
