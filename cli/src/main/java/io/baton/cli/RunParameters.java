package io.baton.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code -p name=value} as JSON values: numbers and booleans that read back exactly as typed go as numbers and
 * booleans (the server types them as the spec says, and reads "3" as 3 anyway), everything else as a string.
 */
public final class RunParameters {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)\\.[0-9]+");

    private RunParameters() {}

    public static Map<String, Object> parse(List<String> pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (pairs == null) {
            return out;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw CliException.badInput("a parameter is name=value, not '" + pair + "'");
            }
            String name = pair.substring(0, eq);
            if (out.containsKey(name)) {
                throw CliException.badInput("parameter '" + name + "' is given twice");
            }
            out.put(name, typed(pair.substring(eq + 1)));
        }
        return out;
    }

    static Object typed(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (INTEGER.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (DECIMAL.matcher(text).matches()) {
            double d = Double.parseDouble(text);
            if (Double.toString(d).equals(text)) { // "0.1" yes; "0.10", "1e5", "007.5" keep their spelling
                return d;
            }
        }
        return text;
    }
}
