package io.baton.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .gitignore} / {@code .batonignore} rules that apply in one folder of a bundle: its parent's, then its
 * own files' (gitignore syntax; the last rule that matches decides).
 */
final class IgnoreRules {
    static final List<String> FILES = List.of(".gitignore", ".batonignore");

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    static IgnoreRules none() {
        return new IgnoreRules(List.of());
    }

    /** These rules plus those of the ignore files in {@code folder}, whose path in the bundle is {@code base}. */
    IgnoreRules enter(Path folder, String base) throws IOException {
        List<Rule> more = new ArrayList<>(rules);
        for (String name : FILES) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Rule rule = Rule.parse(line, base);
                    if (rule != null) {
                        more.add(rule);
                    }
                }
            }
        }
        return more.size() == rules.size() ? this : new IgnoreRules(more);
    }

    /** Whether the entry at {@code path} (its path in the bundle, with '/') is ignored. */
    boolean ignored(String path, boolean folder) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if (rule.matches(path, folder)) {
                ignored = !rule.negated;
            }
        }
        return ignored;
    }

    /** One line of an ignore file, in the folder {@code base} ("" for the bundle's root). */
    record Rule(String base, Pattern pattern, boolean anchored, boolean negated, boolean foldersOnly) {
        static Rule parse(String line, String base) {
            String text = stripTrailingSpaces(line);
            if (text.isEmpty() || text.startsWith("#")) {
                return null;
            }
            boolean negated = text.startsWith("!");
            if (negated) {
                text = text.substring(1);
            }
            boolean foldersOnly = text.endsWith("/") && !text.endsWith("\\/");
            if (foldersOnly) {
                text = text.substring(0, text.length() - 1);
            }
            boolean anchored = text.contains("/");
            if (text.startsWith("/")) {
                text = text.substring(1);
            }
            if (text.isEmpty()) {
                return null;
            }
            return new Rule(base, Pattern.compile(regex(text)), anchored, negated, foldersOnly);
        }

        boolean matches(String path, boolean folder) {
            if (foldersOnly && !folder) {
                return false;
            }
            String relative;
            if (base.isEmpty()) {
                relative = path;
            } else if (path.startsWith(base + "/")) {
                relative = path.substring(base.length() + 1);
            } else {
                return false;
            }
            String subject = anchored ? relative : relative.substring(relative.lastIndexOf('/') + 1);
            return pattern.matcher(subject).matches();
        }

        private static String stripTrailingSpaces(String line) {
            int end = line.length();
            while (end > 0
                    && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t' || line.charAt(end - 1) == '\r')) {
                if (end > 1 && line.charAt(end - 2) == '\\') {
                    break;
                }
                end--;
            }
            return line.substring(0, end);
        }

        /** The glob as a regular expression over a '/'-separated path. */
        static String regex(String glob) {
            StringBuilder re = new StringBuilder();
            int n = glob.length();
            for (int i = 0; i < n; i++) {
                char c = glob.charAt(i);
                if (c == '*'
                        && i + 1 < n
                        && glob.charAt(i + 1) == '*'
                        && (i == 0 || glob.charAt(i - 1) == '/')
                        && (i + 2 == n || glob.charAt(i + 2) == '/')) {
                    if (i + 2 == n) {
                        re.append(".*"); // "a/**": everything inside a
                    } else {
                        re.append("(?:.*/)?"); // "**/b", "a/**/b": zero or more folders
                        i++; // the '/' after "**" is part of the group
                    }
                    i++;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else if (c == '[') {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        if (body.startsWith("!")) {
                            body = "^" + body.substring(1);
                        }
                        re.append('[')
                                .append(body.replace("\\", "\\\\").replace("[", "\\["))
                                .append(']');
                        i = close;
                    }
                } else if (c == '\\' && i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return re.toString();
        }
    }
}
