package io.baton.common;

import java.util.concurrent.ThreadFactory;

/** Named daemon threads for background work that must never keep a process alive on its own. */
public final class Daemons {
    private Daemons() {}

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
