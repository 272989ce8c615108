package io.baton.worker.serving;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** A replica's command with its placeholders filled in, argument by argument: no shell ever reads it. */
final class ServingCommand {
    private ServingCommand() {}

    /** {@code {model}} and {@code {port}} replaced in each argument as plain text; nothing else is interpreted. */
    static List<String> substitute(List<String> command, String model, int port) {
        String portText = Integer.toString(port);
        return command.stream()
                .map(arg -> arg.replace("{model}", model).replace("{port}", portText))
                .toList();
    }

    /**
     * A port free on every address of this machine now. Another process could take it before the serving command
     * binds it; the command then exits, and the replica fails as any replica that cannot start.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(0));
            return socket.getLocalPort();
        }
    }
}
