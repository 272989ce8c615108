package io.baton.worker.facts;

import io.baton.protocol.SecretNames;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment variables of a step as its record keeps them: names and values, but the value of a name that
 * looks secret replaced, the worker's token never, and long values cut (the record is read, not replayed).
 */
public final class RecordedVariables {
    static final String REDACTED = SecretNames.REDACTED;
    private static final int MAX_VALUE = 4096;

    private RecordedVariables() {}

    /** Sorted by name, for a record that reads the same every time. */
    static Map<String, String> of(Map<String, String> given) {
        Map<String, String> recorded = new TreeMap<>();
        given.forEach((name, value) -> {
            if (!name.equals("BATON_TOKEN")) {
                recorded.put(name, secret(name) ? REDACTED : cut(value));
            }
        });
        return recorded;
    }

    static boolean secret(String name) {
        return SecretNames.secret(name);
    }

    private static String cut(String value) {
        return value == null || value.length() <= MAX_VALUE
                ? value
                : value.substring(0, MAX_VALUE) + "... (" + (value.length() - MAX_VALUE) + " more characters)";
    }
}
