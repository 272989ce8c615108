package io.baton.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What a command reads and writes besides the server: the environment, the streams, whether it talks to a terminal. */
public record Context(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    private static Context current = system();

    public static Context system() {
        return new Context(System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    public static Context current() {
        return current;
    }

    static void set(Context context) {
        current = context;
    }
}
