package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import io.baton.cli.NamedCommand;
import io.baton.cli.RunParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton schedules VERB}: Temporal Schedules that start runs of a pipeline. */
@Command(
        name = "schedules",
        mixinStandardHelpOptions = true,
        description = "Schedules: list, show, create, pause, unpause, trigger, delete.",
        subcommands = {
            SchedulesCommand.ListSchedules.class,
            SchedulesCommand.Show.class,
            SchedulesCommand.Create.class,
            SchedulesCommand.Pause.class,
            SchedulesCommand.Unpause.class,
            SchedulesCommand.Trigger.class,
            SchedulesCommand.Delete.class
        })
public final class SchedulesCommand extends Group {
    /** The verbs that name one schedule. */
    abstract static class Named extends NamedCommand {
        @Override
        protected String collection() {
            return "/schedules";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists schedules.")
    static final class ListSchedules extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Override
        protected int run() {
            return list(
                    api().get(query("/schedules", params("project", project(project)))),
                    "name",
                    "pipeline",
                    "cron",
                    "every",
                    "onDataset",
                    "paused",
                    "nextRunTimes");
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a schedule, its next and recent runs.")
    static final class Show extends Named {
        @Override
        protected int run() {
            return show(api().get(path("")));
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a schedule (the body of POST /api/v1/schedules as options).")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--project", paramLabel = "P")
        String project;

        @Option(names = "--pipeline", required = true, paramLabel = "NAME")
        String pipeline;

        @Option(names = "--pipeline-version", paramLabel = "N")
        Integer pipelineVersion;

        @Option(names = "--bundle", paramLabel = "SHA256")
        String bundle;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "NAME=VALUE")
        List<String> params;

        @Option(names = "--cron", paramLabel = "EXPR", description = "e.g. '0 3 * * *'")
        String cron;

        @Option(names = "--every", paramLabel = "DURATION", description = "e.g. 1h")
        String every;

        @Option(
                names = "--on-dataset",
                paramLabel = "DATASET",
                description = "Run on each new version of this dataset.")
        String onDataset;

        @Option(names = "--timezone", paramLabel = "TZ")
        String timezone;

        @Option(names = "--jitter", paramLabel = "DURATION")
        String jitter;

        @Option(
                names = "--overlap",
                paramLabel = "POLICY",
                description = "skip, bufferOne, bufferAll, cancelOther, terminateOther or allowAll.")
        String overlap;

        @Option(names = "--catchup-window", paramLabel = "DURATION")
        String catchupWindow;

        @Option(names = "--paused", description = "Create it paused.")
        boolean paused;

        @Option(names = "--note", paramLabel = "TEXT")
        String note;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("project", project(project));
            body.put("pipeline", pipeline);
            body.put("pipelineVersion", pipelineVersion);
            body.put("bundle", bundle);
            body.put("parameters", params == null ? null : RunParameters.parse(params));
            body.put("cron", cron);
            body.put("every", every);
            body.put("onDataset", onDataset);
            body.put("timezone", timezone);
            body.put("jitter", jitter);
            body.put("overlap", overlap);
            body.put("catchupWindow", catchupWindow);
            body.put("paused", paused ? Boolean.TRUE : null);
            body.put("note", note);
            body.values().removeIf(v -> v == null);
            JsonNode s = api().post("/schedules", body);
            return print(s, () -> out().println("schedule " + name + " created; next runs: " + s.path("nextRunTimes")));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a schedule.")
    static final class Pause extends Named {
        @Override
        protected int run() {
            JsonNode s = api().post(path("/pause"), Map.of());
            return print(s, () -> out().println("paused " + name));
        }
    }

    @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpauses a schedule.")
    static final class Unpause extends Named {
        @Override
        protected int run() {
            JsonNode s = api().post(path("/unpause"), Map.of());
            return print(s, () -> out().println("unpaused " + name));
        }
    }

    @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Starts one run of the schedule now.")
    static final class Trigger extends Named {
        @Override
        protected int run() {
            JsonNode run = api().post(path("/trigger"), null);
            return print(
                    run,
                    () -> out().println(
                                    run.hasNonNull("id")
                                            ? run.path("id").asText()
                                            : run.path("message").asText("triggered")));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a schedule (its runs stay).")
    static final class Delete extends Named {
        @Override
        protected int run() {
            api().delete(path(""));
            if (!json()) {
                out().println("deleted schedule " + name);
            }
            return 0;
        }
    }
}
