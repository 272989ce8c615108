package io.baton.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client config shared with the Python package: {@code $XDG_CONFIG_HOME/baton/config.yml} (or
 * {@code ~/.config/baton/config.yml}), a flat mapping of {@code key: value} lines, overridden by {@code BATON_*}.
 */
public final class Config {
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    private final Path file;
    private final Map<String, String> values;
    private final Map<String, String> env;

    private Config(Path file, Map<String, String> values, Map<String, String> env) {
        this.file = file;
        this.values = values;
        this.env = env;
    }

    public static Config load(Map<String, String> env) {
        Path file = file(env);
        try {
            Map<String, String> values = Files.isRegularFile(file)
                    ? parse(Files.readString(file, StandardCharsets.UTF_8))
                    : new LinkedHashMap<>();
            return new Config(file, values, env);
        } catch (IOException e) {
            throw CliException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }

    static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "baton", "config.yml");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "baton", "config.yml");
    }

    public Path file() {
        return file;
    }

    /** The server's base URL (no trailing {@code /api/v1} or slash): the option, then BATON_SERVER, then the file. */
    public String server(String option) {
        return normalizeServer(pick(option, "BATON_SERVER", "server", DEFAULT_SERVER));
    }

    public String token(String option) {
        return pick(option, "BATON_TOKEN", "token", null);
    }

    public String project(String option) {
        return pick(option, "BATON_PROJECT", "project", null);
    }

    private String pick(String option, String variable, String key, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        String fromFile = values.get(key);
        return fromFile != null && !fromFile.isBlank() ? fromFile : fallback;
    }

    static String normalizeServer(String server) {
        String s = server.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/api/v1")) {
            s = s.substring(0, s.length() - "/api/v1".length());
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw CliException.badInput("the server '" + server + "' is not an http:// or https:// URL");
        }
        return s;
    }

    /** Sets (or, for null, removes) keys and writes the file, mode 600 in a folder of mode 700, other keys kept. */
    public void save(Map<String, String> changes) {
        changes.forEach((k, v) -> {
            if (v == null) {
                values.remove(k);
            } else {
                values.put(k, v);
            }
        });
        try {
            Path folder = file.getParent();
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            }
            Path temp = Files.createTempFile(
                    folder,
                    ".config",
                    ".yml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, render(values), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** One {@code key: value} per line, {@code #} comments, values optionally in single or double quotes. */
    static Map<String, String> parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (value.startsWith("\"") || value.startsWith("'")) {
                char quote = value.charAt(0);
                int end = value.indexOf(quote, 1);
                value = end > 0 ? value.substring(1, end) : value.substring(1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            values.put(key, value);
        }
        return values;
    }

    static String render(Map<String, String> values) {
        StringBuilder out =
                new StringBuilder("# written by baton login; read by the baton CLI and the Python package\n");
        values.forEach((k, v) -> out.append(k).append(": ").append(quoted(v)).append('\n'));
        return out.toString();
    }

    private static String quoted(String value) {
        boolean plain = !value.isEmpty()
                && value.chars().allMatch(c -> c > ' ' && c != '#' && c != '"' && c != '\'')
                && !value.contains(": ");
        return plain ? value : "\"" + value.replace("\"", "") + "\"";
    }
}
