package io.baton.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiClient;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton login}: a token from a password, a token given, or an OIDC sign-in, checked and kept in the config. */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = {
            "Signs in and keeps the server and token in the config file (mode 600).",
            "With --user, a password (asked on the terminal, or read from stdin with --password-stdin); with --token, that token;"
                    + " with --oidc, the server's single sign-on: open the URL it prints, sign in, paste the token the page shows."
        })
public final class LoginCommand extends ApiCommand {
    @Option(names = "--user", paramLabel = "NAME", description = "Your user name (password sign-in).")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from stdin (its first line).")
    boolean passwordStdin;

    @Option(names = "--oidc", description = "Sign in through the server's OIDC provider.")
    boolean oidc;

    @Option(names = "--project", paramLabel = "P", description = "Also keep P as the default project.")
    String project;

    @Override
    protected int run() throws IOException {
        String server = config().server(common.server());
        String token;
        if (user != null) {
            String password = passwordStdin ? firstLine() : prompt("Password for " + user + ": ", true);
            JsonNode login = new ApiClient(server, null).post("/login", Map.of("name", user, "password", password));
            token = login.get("token").asText();
        } else if (common.token() != null) {
            token = common.token();
        } else if (oidc) {
            out().println("Open this URL in a browser and sign in:");
            out().println("  " + server + "/api/v1/login/oidc");
            out().println("The page then shows a JSON object: copy its \"token\".");
            token = prompt("Token: ", true).trim();
        } else {
            throw CliException.badInput("say how to sign in: --user NAME, --token TOKEN or --oidc");
        }
        if (token.isEmpty()) {
            throw CliException.badInput("no token given");
        }
        JsonNode me = new ApiClient(server, token).get("/me");
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("server", server);
        changes.put("token", token);
        if (project != null) {
            changes.put("project", project);
        }
        config().save(changes);
        return print(
                me,
                () -> out().println("Signed in to " + server + " as "
                        + me.path("user").path("name").asText() + " (config: " + config().file() + ")"));
    }

    private String firstLine() throws IOException {
        String line = new BufferedReader(new InputStreamReader(context().in(), StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw CliException.badInput("no password on stdin");
        }
        return line;
    }

    private String prompt(String text, boolean secret) throws IOException {
        Console console = System.console();
        if (console == null) {
            throw CliException.badInput("not a terminal: use --password-stdin or --token");
        }
        char[] typed = secret
                ? console.readPassword("%s", text)
                : console.readLine("%s", text).toCharArray();
        if (typed == null) {
            throw CliException.badInput("nothing typed");
        }
        return new String(typed);
    }
}
