package io.baton.cli;

import picocli.CommandLine.Option;

/** The options every command takes. */
public final class Common {
    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server's base URL (default: BATON_SERVER, then the config file, then "
                    + Config.DEFAULT_SERVER + ").")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "The API token (default: BATON_TOKEN, then the config file).")
    String token;

    @Option(
            names = "--json",
            description = "Print the server's JSON (for lists, the items) and nothing else on stdout.")
    boolean json;

    public String server() {
        return server;
    }

    public String token() {
        return token;
    }

    public boolean json() {
        return json;
    }
}
