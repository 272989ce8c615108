package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.bundle.BundlePacker;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.Group;
import io.baton.cli.NamedCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton endpoints VERB}: model deployments. */
@Command(
        name = "endpoints",
        mixinStandardHelpOptions = true,
        description = "Endpoints: list, show, deploy, rollback, delete.",
        subcommands = {
            EndpointsCommand.ListEndpoints.class,
            EndpointsCommand.Show.class,
            EndpointsCommand.Deploy.class,
            EndpointsCommand.Rollback.class,
            EndpointsCommand.Delete.class
        })
public final class EndpointsCommand extends Group {
    abstract static class Named extends NamedCommand {
        @Override
        protected String collection() {
            return "/endpoints";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists endpoints.")
    static final class ListEndpoints extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query("/endpoints", params("project", project(project)))),
                    "name",
                    "status",
                    "model",
                    "version",
                    "url");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows an endpoint, its replicas and history.")
    static final class Show extends Named {
        @Override
        protected int run() {
            return show(api().get(path("")));
        }
    }

    @Command(
            name = "deploy",
            mixinStandardHelpOptions = true,
            description = {
                "Deploys a model: DIR (the serving code, packed as run packs it) runs COMMAND with {model} and {port} filled in.",
                "Example: baton endpoints deploy iris examples/iris --model iris@production -- python3 serve.py {model} {port}"
            })
    static final class Deploy extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "DIR")
        Path dir;

        @Parameters(index = "2..*", paramLabel = "COMMAND", description = "The serving command, after --.")
        List<String> command;

        @Option(names = "--model", required = true, paramLabel = "REF", description = "name@alias or name/N.")
        String model;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Option(names = "--pool", paramLabel = "POOL")
        String pool;

        @Option(names = "--replicas", paramLabel = "N")
        Integer replicas;

        @Option(names = "--health", paramLabel = "PATH")
        String health;

        @Option(names = "--cpus", paramLabel = "N")
        Double cpus;

        @Option(names = "--memory", paramLabel = "SIZE")
        String memory;

        @Option(names = "--gpus", paramLabel = "N")
        Integer gpus;

        @Option(names = "--env", paramLabel = "NAME=VALUE")
        Map<String, String> env;

        @Override
        protected int run() throws IOException {
            if (!Files.isDirectory(dir)) {
                throw CliException.badInput(dir + " is not a folder");
            }
            if (command == null || command.isEmpty()) {
                throw CliException.badInput("the serving command is missing (after --)");
            }
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            BundlePacker.pack(dir, packed);
            JsonNode bundle = api().upload("/bundles", "application/gzip", packed.toByteArray());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("project", project(project));
            body.put("model", model);
            body.put("bundle", bundle.get("sha256").asText());
            body.put("command", command);
            body.put("pool", pool);
            body.put("replicas", replicas);
            body.put("health", health);
            body.put("cpus", cpus);
            body.put("memory", memory);
            body.put("gpus", gpus);
            body.put("env", env);
            body.values().removeIf(v -> v == null);
            JsonNode e = api().post("/endpoints", body);
            return print(
                    e,
                    () -> out().println("endpoint " + name + " "
                            + e.path("status").asText() + "  " + e.path("url").asText()));
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Rolls an endpoint back to its previous version.")
    static final class Rollback extends Named {
        @Override
        protected int run() {
            JsonNode e = api().post(path("/rollback"), null);
            return print(
                    e,
                    () -> out().println("endpoint " + name + " rolling back to version "
                            + e.path("version").asText()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an endpoint (its replicas stop).")
    static final class Delete extends Named {
        @Override
        protected int run() {
            api().delete(path(""));
            if (!json()) {
                out().println("deleting endpoint " + name);
            }
            return 0;
        }
    }
}
