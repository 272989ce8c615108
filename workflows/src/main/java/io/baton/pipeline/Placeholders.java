package io.baton.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {parameters.NAME}} and {@code {matrix.NAME}} placeholders of command arguments. Only braces that open
 * with {@code parameters.} or {@code matrix.} are placeholders; any other brace is literal text.
 */
public final class Placeholders {
    /** Group 1: "parameters" or "matrix"; group 2: the name, possibly empty or odd (then it names nothing). */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{(parameters|matrix)\\.([^{}]*)}");

    private Placeholders() {}

    /** One placeholder found in an argument: its kind ("parameters" or "matrix") and name. */
    public record Placeholder(String kind, String name) {
        @Override
        public String toString() {
            return "{" + kind + "." + name + "}";
        }
    }

    /** Every placeholder in an argument, in order. */
    public static List<Placeholder> find(String argument) {
        List<Placeholder> found = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(argument);
        while (m.find()) {
            found.add(new Placeholder(m.group(1), m.group(2)));
        }
        return found;
    }
}
