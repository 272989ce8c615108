package io.baton.server.core;

import java.util.regex.Pattern;

/** Project names, which runs, pipelines, models and datasets are grouped by. */
public final class Projects {
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Projects() {}

    /** {@code project}, or {@code default} when none is given; a 400 when it is not a project name. */
    public static String check(String project) {
        String p = project == null ? "default" : project;
        if (!PROJECT.matcher(p).matches()) {
            throw BatonException.badRequest("'project' must match [a-z0-9][a-z0-9-]{0,62}, not '" + p + "'");
        }
        return p;
    }
}
