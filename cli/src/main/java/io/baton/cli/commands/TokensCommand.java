package io.baton.cli.commands;

import static io.baton.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.Group;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton tokens VERB}: personal API tokens and (global admins) workers' tokens; a secret is shown once. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Tokens: list, create, delete.",
        subcommands = {TokensCommand.ListTokens.class, TokensCommand.Create.class, TokensCommand.Delete.class})
public final class TokensCommand extends Group {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists your tokens (never their secrets).")
    static final class ListTokens extends ApiCommand {
        @Override
        protected int run() {
            return list(api().get("/tokens"), "id", "name", "kind", "pools", "expiresAt", "lastUsedAt");
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a token and prints its secret, shown this once.",
                "--kind worker makes a worker's token (global admins): NAME is the worker's name."
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--kind", paramLabel = "user|worker", defaultValue = "user")
        String kind;

        @Option(names = "--expires-at", paramLabel = "ISO-8601", description = "e.g. 2027-01-31T00:00:00Z")
        String expiresAt;

        @Option(names = "--pool", paramLabel = "POOL", description = "A worker token's pools (repeatable).")
        List<String> pools;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", kind);
            body.put("name", name);
            if (expiresAt != null) {
                body.put("expiresAt", expiresAt);
            }
            if (pools != null) {
                body.put("pools", pools);
            }
            JsonNode answer = api().post("/tokens", body);
            return print(answer, () -> out().println(answer.path("token").asText()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revokes a token by its id.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run() {
            api().delete("/tokens/" + segment(id));
            if (!json()) {
                out().println("revoked " + id);
            }
            return 0;
        }
    }
}
