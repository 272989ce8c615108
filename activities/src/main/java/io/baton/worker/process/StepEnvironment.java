package io.baton.worker.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a step starts from: a short allowlist of the worker's own variables (docs/pipelines.md), never the
 * rest of it (the worker's token, the operator's passwords and keys).
 */
public final class StepEnvironment {
    /** Passed as the worker has them: how to find programs, and how to write text and times. */
    static final Set<String> PASSED = Set.of("PATH", "LANG", "LANGUAGE", "TZ");

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private StepEnvironment() {}

    /**
     * The worker's variables a step gets: {@link #PASSED}, {@code LC_*}, and the names the operator listed in
     * {@code passEnv} (never a {@code BATON_*} one: those are the worker's settings); PATH with {@code pathPrepend}
     * first.
     */
    public static Map<String, String> base(Map<String, String> worker, List<String> pathPrepend, List<String> passEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        worker.forEach((name, value) -> {
            if (PASSED.contains(name)
                    || name.startsWith("LC_")
                    || passEnv.contains(name) && !name.startsWith("BATON_")) {
                env.put(name, value);
            }
        });
        String path = env.getOrDefault("PATH", DEFAULT_PATH);
        env.put("PATH", pathPrepend.isEmpty() ? path : String.join(":", pathPrepend) + ":" + path);
        return env;
    }
}
