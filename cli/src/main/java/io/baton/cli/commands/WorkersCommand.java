package io.baton.cli.commands;

import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton workers VERB} (a worker process itself starts with {@code ./baton worker}). */
@Command(
        name = "workers",
        mixinStandardHelpOptions = true,
        description = "Workers: list, show, drain.",
        subcommands = {WorkersCommand.ListWorkers.class, WorkersCommand.Show.class, WorkersCommand.Drain.class})
public final class WorkersCommand extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists workers.")
    static final class ListWorkers extends ApiCommand {
        @Override
        protected int run() {
            return list(api().get("/workers"), "name", "status", "pools", "slots", "usedSlots", "lastHeartbeatAt");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a worker.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            return show(api().get("/workers/" + segment(name)));
        }
    }

    @Command(
            name = "drain",
            mixinStandardHelpOptions = true,
            description = "Drains a worker: it takes no new attempts and finishes its running ones.")
    static final class Drain extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run() {
            JsonNode w = api().post("/workers/" + segment(name) + "/drain", null);
            return print(w, () -> out().println("draining worker " + name));
        }
    }
}
