package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;
import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiClient;
import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton pipelines VERB}. */
@Command(
        name = "pipelines",
        mixinStandardHelpOptions = true,
        description = "Registered pipelines: list, show, register.",
        subcommands = {
            PipelinesCommand.ListPipelines.class,
            PipelinesCommand.Show.class,
            PipelinesCommand.Register.class
        })
public final class PipelinesCommand extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists pipelines (their latest versions).")
    static final class ListPipelines extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query("/pipelines", params("project", project(project)))),
                    "name",
                    "version",
                    "project",
                    "createdBy",
                    "createdAt");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a pipeline's versions, or one version's spec.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N", description = "This version, with its spec.")
        Integer version;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            String base = "/pipelines/" + segment(name) + "/versions";
            if (version == null) {
                return list(
                        api().get(query(base, params("project", project(project)))),
                        "version",
                        "specSha256",
                        "createdBy",
                        "createdAt");
            }
            JsonNode v = api().get(query(base + "/" + version, params("project", project(project))));
            return print(v, () -> {
                out().println(name + " v" + v.path("version").asInt() + "  "
                        + v.path("specSha256").asText());
                out().println();
                out().print(v.path("spec").asText());
            });
        }
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "Registers a spec as a pipeline's new version (the same spec again: its existing version).")
    static final class Register extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("spec", ValidateCommand.read(file));
            body.put("project", project(project));
            body.values().removeIf(v -> v == null);
            JsonNode v;
            try {
                v = api().post("/pipelines", body);
            } catch (ApiClient.ApiException e) {
                throw e.inFile(file.toString());
            }
            return print(
                    v,
                    () -> out().println(v.path("name").asText() + " v"
                            + v.path("version").asInt()));
        }
    }
}
