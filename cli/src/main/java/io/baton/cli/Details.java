package io.baton.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A spec problem of the server's {@code details} as {@code FILE:line:column: message}, as compilers print them. */
public final class Details {
    private Details() {}

    public static String line(String file, JsonNode detail) {
        if (!detail.isObject()) {
            return detail.asText();
        }
        StringBuilder out = new StringBuilder();
        if (file != null) {
            out.append(file).append(':');
        }
        if (detail.hasNonNull("line")) {
            out.append(detail.get("line").asInt()).append(':');
            if (detail.hasNonNull("column")) {
                out.append(detail.get("column").asInt()).append(':');
            }
        }
        if (out.length() > 0) {
            out.append(' ');
        }
        String message = detail.path("message").asText("");
        String path = detail.path("path").asText("");
        out.append(path.isEmpty() || message.contains(path) ? message : path + ": " + message);
        return out.toString();
    }
}
