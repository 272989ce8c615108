package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;
import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.bundle.BundlePacker;
import io.baton.cli.ApiClient;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.Group;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton datasets VERB}. */
@Command(
        name = "datasets",
        mixinStandardHelpOptions = true,
        description = "Datasets: push, list, show.",
        subcommands = {DatasetsCommand.Push.class, DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class})
public final class DatasetsCommand extends Group {
    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description = "Uploads DIR's files (packed as a bundle is) as a new version of dataset NAME.")
    static final class Push extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "DIR")
        Path dir;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Override
        protected int run() throws IOException {
            if (!Files.isDirectory(dir)) {
                throw CliException.badInput(dir + " is not a folder");
            }
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            BundlePacker.pack(dir, packed);
            String p = project(project);
            String versions =
                    query("/datasets/" + segment(name) + "/versions", params("project", p, "description", description));
            JsonNode version;
            try {
                version = api().upload(versions, "application/gzip", packed.toByteArray());
            } catch (ApiClient.ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                Map<String, Object> dataset = new LinkedHashMap<>();
                dataset.put("name", name);
                dataset.put("project", p);
                dataset.values().removeIf(x -> x == null);
                api().post("/datasets", dataset); // its first version: the dataset is made first
                version = api().upload(versions, "application/gzip", packed.toByteArray());
            }
            JsonNode v = version;
            return print(
                    v,
                    () -> out().println(name + " v" + v.path("version").asInt() + " ("
                            + v.path("files").size() + " files, "
                            + v.path("size").asLong() + " bytes)"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists datasets.")
    static final class ListDatasets extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query("/datasets", params("project", project(project)))),
                    "name",
                    "latestVersion",
                    "project",
                    "createdBy",
                    "createdAt");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a dataset's versions (or one version's files with --version).")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N")
        Integer version;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            String base = "/datasets/" + segment(name) + "/versions";
            if (version == null) {
                return list(
                        api().get(query(base, params("project", project(project)))),
                        "version",
                        "size",
                        "run",
                        "step",
                        "createdBy",
                        "createdAt");
            }
            JsonNode v = api().get(query(base + "/" + version, params("project", project(project))));
            return print(
                    v,
                    () -> v.path("files")
                            .forEach(
                                    f -> out().println(f.path("sha256").asText().substring(0, 12) + "  "
                                            + f.path("size").asLong() + "  "
                                            + f.path("path").asText())));
        }
    }
}
