package io.baton.protocol;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule for which environment variables look secret (a name holding TOKEN, SECRET, PASSWORD, KEY, ...):
 * their values are shown as {@link #REDACTED} wherever a run's record shows an environment, so that the step's
 * {@code env} and its attempts' recorded environment read the same.
 */
public final class SecretNames {
    public static final String REDACTED = "<redacted>";
    private static final String[] SECRET_WORDS = {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL"};

    private SecretNames() {}

    public static boolean secret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (upper.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code env} in its order, with the values of secret-looking names redacted. */
    public static Map<String, String> redacted(Map<String, String> env) {
        if (env == null) {
            return null;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        env.forEach((name, value) -> shown.put(name, secret(name) ? REDACTED : value));
        return shown;
    }
}
