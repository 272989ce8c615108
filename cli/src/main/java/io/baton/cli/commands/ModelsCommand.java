package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;
import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.Group;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton models VERB}. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Models: list, show, alias, history, review, lineage.",
        subcommands = {
            ModelsCommand.ListModels.class,
            ModelsCommand.Show.class,
            ModelsCommand.Alias.class,
            ModelsCommand.History.class,
            ModelsCommand.Review.class,
            ModelsCommand.Lineage.class
        })
public final class ModelsCommand extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists models.")
    static final class ListModels extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query("/models", params("project", project(project)))),
                    "name",
                    "latestVersion",
                    "aliases",
                    "project",
                    "updatedAt");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a model's versions and aliases (one version with --version).")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N")
        Integer version;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            String base = "/models/" + segment(name);
            if (version != null) {
                return show(api().get(query(base + "/versions/" + version, params("project", project(project)))));
            }
            JsonNode model = api().get(query(base, params("project", project(project))));
            if (json()) {
                printJson(model);
                return 0;
            }
            out().println(name + "  aliases: " + model.path("aliases"));
            return list(
                    api().get(query(base + "/versions", params("project", project(project)))),
                    "version",
                    "run",
                    "step",
                    "metrics",
                    "createdAt");
        }
    }

    @Command(
            name = "alias",
            mixinStandardHelpOptions = true,
            description = "Points ALIAS of model NAME at VERSION (or removes it with --delete).")
    static final class Alias extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION")
        Integer version;

        @Option(names = "--delete", description = "Remove the alias.")
        boolean delete;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            String path = query(
                    "/models/" + segment(name) + "/aliases/" + segment(alias), params("project", project(project)));
            if (delete == (version != null)) {
                throw CliException.badInput("give VERSION, or --delete");
            }
            if (delete) {
                api().delete(path);
                if (!json()) {
                    out().println("removed " + name + "@" + alias);
                }
                return 0;
            }
            JsonNode answer = api().put(path, Map.of("version", version));
            return print(answer, () -> out().println(name + "@" + alias + " -> version " + version));
        }
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Every move of ALIAS of model NAME, newest first.")
    static final class History extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query(
                            "/models/" + segment(name) + "/aliases/" + segment(alias) + "/history",
                            params("project", project(project)))),
                    "from",
                    "to",
                    "movedBy",
                    "movedAt");
        }
    }

    @Command(
            name = "review",
            mixinStandardHelpOptions = true,
            description = "Sets a version's review status (APPROVED, REJECTED, ...) with a note.")
    static final class Review extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Parameters(index = "2", paramLabel = "STATUS")
        String status;

        @Option(names = "--note", paramLabel = "TEXT")
        String note;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            if (note != null) {
                body.put("note", note);
            }
            JsonNode answer = api().patch(
                            query(
                                    "/models/" + segment(name) + "/versions/" + version,
                                    params("project", project(project))),
                            body);
            return print(
                    answer,
                    () -> out().println(name + "/" + version + " "
                            + answer.path("status").asText()));
        }
    }

    @Command(
            name = "lineage",
            mixinStandardHelpOptions = true,
            description = "Where a version came from: its run, steps, data and bundles (JSON).")
    static final class Lineage extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            printJson(api().get(query(
                    "/models/" + segment(name) + "/versions/" + version + "/lineage",
                    params("project", project(project)))));
            return 0;
        }
    }
}
