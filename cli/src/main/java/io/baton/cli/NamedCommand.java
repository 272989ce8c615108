package io.baton.cli;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;
import static io.baton.cli.ApiClient.segment;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A verb on one named object of a project ({@code baton schedules pause NAME --project P}). */
public abstract class NamedCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    protected String name;

    @Option(names = "--project", paramLabel = "P")
    protected String project;

    /** The collection's route, e.g. {@code /schedules}. */
    protected abstract String collection();

    /** The object's route with {@code suffix} ({@code ""} or e.g. {@code /pause}) and its project. */
    protected String path(String suffix) {
        return query(collection() + "/" + segment(name) + suffix, params("project", project(project)));
    }
}
