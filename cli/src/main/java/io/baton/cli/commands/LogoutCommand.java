package io.baton.cli.commands;

import io.baton.cli.ApiCommand;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code baton logout}: forgets the token in the config file (the server and project stay). */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Removes the token from the config file.")
public final class LogoutCommand extends ApiCommand {
    @Override
    protected int run() {
        Map<String, String> changes = new HashMap<>();
        changes.put("token", null);
        config().save(changes);
        if (!json()) {
            out().println("Signed out (the token is no longer in " + config().file() + ")");
        }
        return 0;
    }
}
