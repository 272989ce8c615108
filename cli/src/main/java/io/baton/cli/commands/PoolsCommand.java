package io.baton.cli.commands;

import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import picocli.CommandLine.Command;

/** {@code baton pools list}. */
@Command(
        name = "pools",
        mixinStandardHelpOptions = true,
        description = "Pools: list.",
        subcommands = {PoolsCommand.ListPools.class})
public final class PoolsCommand extends Group {
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists pools with their workers, slots and backlog.")
    static final class ListPools extends ApiCommand {
        @Override
        protected int run() {
            return list(api().get("/pools"), "name", "workersOnline", "slots", "usedSlots", "gpus", "backlog");
        }
    }
}
