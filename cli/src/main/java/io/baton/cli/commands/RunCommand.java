package io.baton.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.bundle.BundlePacker;
import io.baton.cli.ApiClient;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.FollowView;
import io.baton.cli.Follower;
import io.baton.cli.RunParameters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton run [DIR]}: packs DIR as a bundle, submits a run of its spec (or a registered pipeline), follows it. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Packs DIR (default .) as a code bundle, honouring .gitignore and .batonignore, and runs the spec in it"
                    + " (DIR/baton.yaml, or -f FILE) or the registered pipeline --pipeline NAME with that bundle.",
            "Follows the run to its end when stdout is a terminal or with --follow; otherwise (or with --detach) prints"
                    + " the run's id and returns. Exit code of a followed run: 0 SUCCEEDED, 1 FAILED, 2 CANCELLED."
        })
public final class RunCommand extends ApiCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The folder to pack (default: .).")
    Path dir = Path.of(".");

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "The spec (default: DIR/baton.yaml).")
    Path file;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "A parameter (repeatable); numbers and true/false go as such.")
    List<String> params;

    @Option(
            names = "--project",
            paramLabel = "P",
            description = "The project (default: BATON_PROJECT, the config's, or the server's default).")
    String project;

    @Option(
            names = "--pipeline",
            paramLabel = "NAME",
            description = "Run this registered pipeline (its latest version) with DIR's bundle.")
    String pipeline;

    @Option(names = "--pipeline-version", paramLabel = "N", description = "With --pipeline: this version.")
    Integer pipelineVersion;

    @Option(names = "--priority", paramLabel = "1-5", description = "1 highest ... 5 (default 3).")
    Integer priority;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--follow", description = "Follow the run to its end (the default on a terminal).")
        boolean follow;

        @Option(names = "--detach", description = "Print the run's id and return at once.")
        boolean detach;
    }

    @Override
    protected int run() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw CliException.badInput(dir + " is not a folder");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String specName = null;
        if (pipeline != null) {
            if (file != null) {
                throw CliException.badInput("give either --pipeline or -f, not both");
            }
            body.put("pipeline", pipeline);
            if (pipelineVersion != null) {
                body.put("pipelineVersion", pipelineVersion);
            }
        } else {
            Path spec = file != null ? file : dir.resolve("baton.yaml");
            specName = spec.toString();
            body.put("spec", ValidateCommand.read(spec));
        }
        body.put("parameters", RunParameters.parse(params));
        String p = project(project);
        if (p != null) {
            body.put("project", p);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        int files = BundlePacker.files(dir).size();
        BundlePacker.pack(dir, packed);
        JsonNode bundle = api().upload("/bundles", "application/gzip", packed.toByteArray());
        body.put("bundle", bundle.get("sha256").asText());
        JsonNode run = submit(body, specName);
        String id = run.get("id").asText();
        boolean follow = mode.follow || (!mode.detach && context().terminal());
        if (!follow) {
            if (json()) {
                printJson(run);
            } else {
                out().println(id);
            }
            return 0;
        }
        err().println("bundle " + bundle.get("sha256").asText().substring(0, 12) + " (" + files + " files); run " + id);
        Follower follower =
                new Follower(api(), json() ? err() : out(), context().terminal() && !json());
        JsonNode ended = follower.follow(id, err());
        if (json()) {
            printJson(ended);
        } else {
            follower.summary(ended);
        }
        return FollowView.exitCode(ended.path("status").asText());
    }

    /** POST /runs with one idempotency key, tried again on a lost connection so that a retry never runs twice. */
    private JsonNode submit(Map<String, Object> body, String specName) {
        Map<String, String> headers =
                Map.of("Idempotency-Key", UUID.randomUUID().toString());
        for (int attempt = 1; ; attempt++) {
            try {
                return api().post("/runs", body, headers);
            } catch (ApiClient.ApiException e) {
                throw e.inFile(specName);
            } catch (CliException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
