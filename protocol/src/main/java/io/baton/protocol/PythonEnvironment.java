package io.baton.protocol;

import java.util.List;

/** The {@code python3} a step sees: where its PATH finds it, its version, its packages as {@code pip freeze --all}. */
public record PythonEnvironment(String executable, String version, List<String> packages) {
    public PythonEnvironment {
        packages = packages == null ? List.of() : List.copyOf(packages);
    }
}
