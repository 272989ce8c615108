package io.baton.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Fills in a step's command. Substitution happens per argument after the command was split, and the values are
 * inserted literally: a value holding spaces, {@code ;}, {@code $(...)}, backticks or a newline stays inside its one
 * argument, and nothing is ever given to a shell.
 */
public final class Commands {
    private Commands() {}

    /**
     * @param parameters resolved parameter values (see {@link Parameters#resolve})
     * @param matrix the step's matrix combination, empty for a step without a matrix
     * @throws IllegalArgumentException for a placeholder naming no given parameter / matrix key
     */
    public static List<String> render(
            List<String> command, Map<String, Object> parameters, Map<String, Object> matrix) {
        List<String> out = new ArrayList<>(command.size());
        for (String argument : command) {
            Matcher m = Placeholders.PLACEHOLDER.matcher(argument);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                Map<String, Object> source = m.group(1).equals("parameters") ? parameters : matrix;
                String name = m.group(2);
                if (source == null || !source.containsKey(name)) {
                    throw new IllegalArgumentException(
                            "unknown placeholder " + m.group() + " in argument '" + argument + "'");
                }
                // quoteReplacement: a value's '$' or '\' must be copied, not interpreted as a group reference.
                m.appendReplacement(sb, Matcher.quoteReplacement(Parameters.render(source.get(name))));
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return List.copyOf(out);
    }
}
