package io.baton.cli.commands;

import static io.baton.cli.ApiClient.params;
import static io.baton.cli.ApiClient.query;
import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.FollowView;
import io.baton.cli.Group;
import io.baton.cli.RunParameters;
import io.baton.cli.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton runs VERB}: a run's state, logs, metrics and record; cancel, resume, reproduce. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Runs: list, show, logs, metrics, cancel, resume, reproduce, record.",
        subcommands = {
            RunsCommand.ListRuns.class,
            RunsCommand.Show.class,
            RunsCommand.Logs.class,
            RunsCommand.Metrics.class,
            RunsCommand.Cancel.class,
            RunsCommand.Resume.class,
            RunsCommand.Reproduce.class,
            RunsCommand.Record.class
        })
public final class RunsCommand extends Group {
    static String path(String id) {
        return "/runs/" + segment(id);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists runs, newest first.")
    static final class ListRuns extends ApiCommand {
        @Option(names = "--project", paramLabel = "P")
        String project;

        @Option(names = "--pipeline", paramLabel = "NAME")
        String pipeline;

        @Option(
                names = "--status",
                paramLabel = "STATUS",
                description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
        String status;

        @Option(
                names = "--param",
                paramLabel = "NAME:OP:VALUE",
                description = "Runs whose parameter compares so (op: eq ne lt le gt ge); repeatable.")
        List<String> param;

        @Option(
                names = "--metric",
                paramLabel = "NAME:OP:VALUE",
                description = "Runs whose last value of the metric compares so (op: eq ne lt le gt ge); repeatable.")
        List<String> metric;

        @Option(
                names = "--sort",
                paramLabel = "KEY[:asc|:desc]",
                description = "createdAt (the default, newest first) or metric.NAME.")
        String sort;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20")
        int limit;

        @Override
        protected int run() {
            JsonNode page = api().get(query(
                    "/runs",
                    params(
                            "project",
                            project(project),
                            "pipeline",
                            pipeline,
                            "status",
                            status,
                            "param",
                            param,
                            "metric",
                            metric,
                            "sort",
                            sort,
                            "limit",
                            limit)));
            return print(page, () -> {
                Tables t = new Tables("ID", "PIPELINE", "STATUS", "CREATED", "BY");
                Instant now = Instant.now();
                for (JsonNode r : page.path("items")) {
                    t.row(
                            r.path("id").asText(),
                            Tables.text(r, "pipeline"),
                            Tables.text(r, "status"),
                            Tables.ago(Tables.text(r, "createdAt"), now),
                            Tables.text(r, "createdBy"));
                }
                out().print(t.render());
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Shows a run and its steps.",
                "With --wait, waits for its end first; the exit code then says how it ended (0, 1 or 2)."
            })
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--wait", description = "Wait until the run has ended.")
        boolean wait;

        @Override
        protected int run() {
            JsonNode run = api().get(path(id));
            while (wait && !FollowView.ended(run.path("status").asText())) {
                run = api().get(path(id) + "?wait=60s");
            }
            JsonNode shown = run;
            print(run, () -> {
                Instant now = Instant.now();
                out().println("run       " + shown.path("id").asText());
                out().println("pipeline  " + Tables.text(shown, "pipeline") + " v"
                        + Tables.text(shown, "pipelineVersion") + "  (project " + Tables.text(shown, "project") + ")");
                out().println("status    " + Tables.text(shown, "status"));
                out().println("created   " + Tables.text(shown, "createdAt") + " ("
                        + Tables.ago(Tables.text(shown, "createdAt"), now) + ") by " + Tables.text(shown, "createdBy"));
                if (Tables.text(shown, "finishedAt") != null) {
                    out().println("finished  " + Tables.text(shown, "finishedAt"));
                }
                out().println("parameters " + shown.path("parameters"));
                out().println();
                FollowView.lines(shown, now).forEach(l -> out().println("  " + l.text()));
            });
            return wait ? FollowView.exitCode(run.path("status").asText()) : 0;
        }
    }

    @Command(
            name = "logs",
            mixinStandardHelpOptions = true,
            description = {
                "Prints a step's log (its latest attempt, or --attempt N); without STEP, every step's.",
                "With --follow, keeps printing until the attempt ends."
            })
    static final class Logs extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "STEP",
                description = "As the run shows it, e.g. train[lr=0.1].")
        String step;

        @Option(names = "--attempt", paramLabel = "N")
        Integer attempt;

        @Option(
                names = {"-f", "--follow"},
                description = "Keep the log open until the attempt ends.")
        boolean follow;

        @Override
        protected int run() throws IOException {
            if (step == null) {
                JsonNode steps = api().get(path(id)).path("steps");
                if (steps.size() == 1 || follow) {
                    if (steps.size() != 1) {
                        throw CliException.badInput("--follow needs a STEP: this run has " + steps.size() + " steps");
                    }
                    step = steps.get(0).path("name").asText();
                } else {
                    for (JsonNode s : steps) {
                        if (s.path("attempts").size() > 0) {
                            out().println("==> " + s.path("name").asText() + " <==");
                            out().print(api().text(stepPath(s.path("name").asText()) + "/logs"));
                        }
                    }
                    return 0;
                }
            }
            String logs = query(stepPath(step) + "/logs", params("attempt", attempt, "follow", follow ? "true" : null));
            if (follow) {
                try (InputStream in = api().stream(logs)) {
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        out().write(buffer, 0, n);
                        out().flush();
                    }
                }
            } else {
                out().print(api().text(logs));
            }
            return 0;
        }

        private String stepPath(String name) {
            return path(id) + "/steps/" + segment(name);
        }
    }

    @Command(
            name = "metrics",
            mixinStandardHelpOptions = true,
            description = "Prints a run's metrics: the last value of each per step.")
    static final class Metrics extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            JsonNode metrics = api().get(path(id) + "/metrics");
            if (json()) {
                printJson(metrics.path("series"));
                return 0;
            }
            Tables t = new Tables("STEP", "ATTEMPT", "METRIC", "LAST", "POINTS");
            for (JsonNode s : metrics.path("series")) {
                JsonNode points = s.path("points");
                t.row(
                        s.path("step").asText(),
                        s.path("attempt").asInt(),
                        s.path("name").asText(),
                        points.size() == 0
                                ? null
                                : points.get(points.size() - 1).path("value").asText(),
                        points.size());
            }
            out().print(t.render());
            return 0;
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancels a run (it becomes CANCELLED once its steps' processes are gone).")
    static final class Cancel extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            JsonNode run = api().post(path(id) + "/cancel", null);
            return print(run, () -> out().println("cancelling run " + id));
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "A new run that reuses the steps that succeeded and runs the rest, with -p overrides.")
    static final class Resume extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "NAME=VALUE")
        List<String> params;

        @Override
        protected int run() {
            JsonNode run = api().post(path(id) + "/resume", Map.of("parameters", RunParameters.parse(params)));
            return print(run, () -> out().println(run.path("id").asText()));
        }
    }

    @Command(
            name = "reproduce",
            mixinStandardHelpOptions = true,
            description = "A new run of the same spec, bundle, parameters and inputs.")
    static final class Reproduce extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            JsonNode run = api().post(path(id) + "/reproduce", null);
            return print(run, () -> out().println(run.path("id").asText()));
        }
    }

    @Command(
            name = "record",
            mixinStandardHelpOptions = true,
            description = "Prints the run's whole immutable record (JSON).")
    static final class Record extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            printJson(api().get(path(id) + "/record"));
            return 0;
        }
    }
}
