package io.baton.worker.process;

import io.baton.worker.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What /proc says about a process, for tests that check which processes live. */
final class Procs {
    private Procs() {}

    /** True while the process exists and is not a zombie (a zombie has ended; it only waits to be reaped). */
    static boolean running(long pid) {
        String[] f = stat(pid);
        return f != null && !"Z".equals(f[0]);
    }

    static long processGroup(long pid) {
        return Long.parseLong(require(pid)[2]);
    }

    static long session(long pid) {
        return Long.parseLong(require(pid)[3]);
    }

    static long startTicks(long pid) {
        return Long.parseLong(require(pid)[19]);
    }

    /** The pid a test script wrote to a file, once the whole line is there. */
    static long pidFrom(Path file) {
        Eventually.await("a pid in " + file, Duration.ofSeconds(10), () -> {
            try {
                return Files.exists(file) && Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String[] require(long pid) {
        String[] f = stat(pid);
        if (f == null) {
            throw new AssertionError("no process " + pid);
        }
        return f;
    }

    /** Fields after the command name: [0] state, [1] ppid, [2] pgrp, [3] session, ... [19] starttime. */
    static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
