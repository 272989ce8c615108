package io.baton.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.Tables;
import picocli.CommandLine.Command;

/** {@code baton me}: who the token belongs to. */
@Command(name = "me", mixinStandardHelpOptions = true, description = "Shows the user the token belongs to.")
public final class MeCommand extends ApiCommand {
    @Override
    protected int run() {
        JsonNode me = api().get("/me");
        return print(me, () -> {
            out().println(me.path("name").asText() + " at " + api().server());
            me.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("name")) {
                    out().println("  " + f.getKey() + ": " + Tables.text(me, f.getKey()));
                }
            });
        });
    }
}
