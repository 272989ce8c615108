package io.baton.cli.commands;

import static io.baton.cli.ApiClient.segment;

import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton projects VERB}. */
@Command(
        name = "projects",
        mixinStandardHelpOptions = true,
        description = "Projects: list, show, create.",
        subcommands = {ProjectsCommand.ListProjects.class, ProjectsCommand.Show.class, ProjectsCommand.Create.class})
public final class ProjectsCommand extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the projects you can see.")
    static final class ListProjects extends ApiCommand {
        @Override
        protected int run() {
            return list(api().get("/projects?limit=500"), "name", "role", "createdBy", "createdAt");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a project.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            return show(api().get("/projects/" + segment(name)));
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a project (you become its admin).")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            return show(api().post("/projects", Map.of("name", name)));
        }
    }
}
