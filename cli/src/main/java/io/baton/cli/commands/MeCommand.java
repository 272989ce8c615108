package io.baton.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.Tables;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code baton me}: who the token belongs to. */
@Command(name = "me", mixinStandardHelpOptions = true, description = "Shows the user the token belongs to.")
public final class MeCommand extends ApiCommand {
    @Override
    protected int run() {
        JsonNode me = api().get("/me");
        return print(me, () -> {
            out().println(me.path("user").path("name").asText() + " at " + api().server() + " ("
                    + me.path("tokenKind").asText() + " token)");
            if (me.path("teams").size() > 0) {
                out().println("teams: " + String.join(", ", iterate(me.path("teams"))));
            }
            Tables t = new Tables("PROJECT", "ROLE", "PERMISSIONS");
            for (JsonNode p : me.path("projects")) {
                t.row(p.path("name").asText(), p.path("role").asText(), iterate(p.path("permissions")));
            }
            out().print(t.render());
        });
    }

    private static List<String> iterate(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
