package io.baton.pipeline;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/** Output paths and globs of a step (relative to {@code $BATON_OUTPUTS}) and matching inputs against them. */
public final class Outputs {
    private Outputs() {}

    /**
     * Null when {@code path} is a usable relative path or glob; else why not (absolute, a {@code ..} segment, empty,
     * not a valid glob). Both separators count, so a spec means the same on every worker.
     */
    public static String problem(String path) {
        if (path.isBlank()) {
            return "must not be empty";
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            return "must be relative (under $BATON_OUTPUTS), not absolute";
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return "must not contain a '..' segment";
            }
        }
        if (path.indexOf('\0') >= 0) {
            return "must not contain a NUL character";
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + path);
        } catch (PatternSyntaxException e) {
            return "is not a valid glob: " + e.getDescription();
        }
        return null;
    }

    /**
     * Whether an input path refers to a declared output: the same text, the output's glob matching the path, or the
     * input's own glob matching the output as written (an input {@code *.pkl} of an output {@code model.pkl}).
     */
    public static boolean matches(String output, String inputPath) {
        if (output.equals(inputPath)) {
            return true;
        }
        return globMatches(output, inputPath) || globMatches(inputPath, output);
    }

    /** Whether an input path (a file path or a glob) selects a file that a step actually wrote. */
    public static boolean selects(String inputPath, String actualPath) {
        return inputPath.equals(actualPath) || globMatches(inputPath, actualPath);
    }

    private static boolean globMatches(String glob, String path) {
        try {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            return matcher.matches(Path.of(path));
        } catch (PatternSyntaxException | InvalidPathException e) {
            return false;
        }
    }
}
