package io.baton.worker.process;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals whole process groups: a step leads its own session, so one signal reaches all it started; a process that
 * made a session of its own is found by walking {@code /proc} ({@link #members}).
 */
public final class ProcessGroups {
    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);

    private ProcessGroups() {}

    /** Sends a signal ("TERM", "KILL") to the group; false when no process of it is left. */
    public static boolean signal(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            log.warn("cannot run kill: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The start time of a process in clock ticks since boot (field 22 of /proc/pid/stat), if it exists. */
    public static OptionalLong startTicks(long pid) {
        Stat stat = Stat.read(pid);
        return stat == null ? OptionalLong.empty() : OptionalLong.of(stat.startTicks);
    }

    /** The process group of a process, if it exists. */
    public static OptionalLong processGroup(long pid) {
        Stat stat = Stat.read(pid);
        return stat == null ? OptionalLong.empty() : OptionalLong.of(stat.pgrp);
    }

    /** Every live process in the group, or started by a process in the group, at or after {@code sinceTicks}. */
    public static List<Long> members(long pgid, long sinceTicks) {
        return running(pgid, sinceTicks).stream().map(Proc::pid).toList();
    }

    /**
     * TERM the group, wait up to {@code graceMillis} for it to go, then KILL whatever is left; waits until gone.
     * The members are listed before the first signal: a child that made a session of its own is found only through
     * its parent, and the TERM ends the parent.
     */
    public static void terminate(long pgid, long sinceTicks, long graceMillis) {
        Set<Proc> known = new LinkedHashSet<>(running(pgid, sinceTicks));
        signal(pgid, "TERM");
        known.forEach(p -> send(p, false));
        long deadline = System.currentTimeMillis() + graceMillis;
        while (System.currentTimeMillis() < deadline
                && !stillRunning(pgid, sinceTicks, known).isEmpty()) {
            pause(100);
        }
        kill(pgid, sinceTicks, known);
    }

    /** KILL the group and every member found in /proc, until none is left (bounded). */
    public static void killAll(long pgid, long sinceTicks) {
        kill(pgid, sinceTicks, new LinkedHashSet<>());
    }

    /**
     * As {@link #killAll}, for the group of a leader spawned at {@code spawnedNanos} ({@link System#nanoTime}): when
     * nothing of the group is left, as after most steps, a look at the few pids handed out since the leader's tells.
     */
    public static void killLeftovers(long pgid, long sinceTicks, long spawnedNanos) {
        OptionalLong last = lastPid();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawnedNanos);
        if (last.isPresent()
                && onlyNewerPids(pgid, last.getAsLong(), elapsedMillis, PID_MAX)
                && running(pgid, sinceTicks, pgid, last.getAsLong()).isEmpty()) {
            return;
        }
        killAll(pgid, sinceTicks);
    }

    /**
     * Whether every process of a group can be found among the pids above its leader's, up to the last pid the OS
     * handed out. Its members and their descendants were all created after the leader, and the OS hands out pids in
     * increasing order until it wraps around at {@code pidMax}: the last pid below the leader's shows a wrap. A wrap
     * all the way around would hide behind a last pid above the leader's, but takes {@code pidMax} new processes or
     * threads; no machine makes {@link #PIDS_PER_MILLI} a millisecond, so a young enough group cannot have seen one.
     */
    static boolean onlyNewerPids(long leader, long lastPid, long elapsedMillis, long pidMax) {
        return lastPid >= leader && pidMax > 0 && elapsedMillis < pidMax / PIDS_PER_MILLI;
    }

    /** A generous bound on how many pids a machine can hand out in a millisecond. */
    static final long PIDS_PER_MILLI = 2_000;

    private static final long PID_MAX = readLong("/proc/sys/kernel/pid_max").orElse(0);

    /**
     * The last pid the OS handed out in this pid namespace: the last field of {@code /proc/loadavg}, worked out when it
     * is read ({@code /proc/sys/kernel/ns_last_pid} says the same on plain Linux, but not in every sandbox).
     */
    static OptionalLong lastPid() {
        try {
            String loadavg = readProcFile("/proc/loadavg");
            return OptionalLong.of(Long.parseLong(loadavg.substring(loadavg.lastIndexOf(' ') + 1)));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong readLong(String file) {
        try {
            return OptionalLong.of(Long.parseLong(readProcFile(file)));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A /proc file's text, read to its end: {@code Files.readString} trusts the size the file claims, and some
     * sandboxes then hand /proc/sys files over cut short ("3" for a pid_max of 32768; seen on a build machine).
     */
    private static String readProcFile(String file) throws IOException {
        try (FileInputStream in = new FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    private static void kill(long pgid, long sinceTicks, Set<Proc> known) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<Proc> left = stillRunning(pgid, sinceTicks, known);
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            known.addAll(left); // a child found through its parent stays known once the parent is gone
            signal(pgid, "KILL");
            left.forEach(p -> send(p, true));
            pause(50);
            left = stillRunning(pgid, sinceTicks, known);
        }
        if (!left.isEmpty()) {
            log.warn("processes {} of group {} survived KILL", left, pgid);
        }
    }

    /** A process, named by pid and start time, so that a pid the OS gave to another process is never signalled. */
    private record Proc(long pid, long startTicks) {
        boolean alive() {
            Stat stat = Stat.read(pid);
            return stat != null && stat.state != 'Z' && stat.startTicks == startTicks;
        }
    }

    /** The group's members now, with those seen before that still run. */
    private static List<Proc> stillRunning(long pgid, long sinceTicks, Set<Proc> known) {
        Set<Proc> all = new LinkedHashSet<>(running(pgid, sinceTicks));
        known.stream().filter(Proc::alive).forEach(all::add);
        return List.copyOf(all);
    }

    /** The live processes of the group started at or after {@code sinceTicks}, and their descendants. */
    private static List<Proc> running(long pgid, long sinceTicks) {
        return running(pgid, sinceTicks, 0, Long.MAX_VALUE);
    }

    /** As above, among the processes with a pid in ({@code above}, {@code upTo}]. */
    private static List<Proc> running(long pgid, long sinceTicks, long above, long upTo) {
        Map<Long, Stat> live = new HashMap<>();
        byte[] buffer = new byte[Stat.BUFFER];
        if (upTo - above <= 64 && upTo >= above) { // a few pids: look at each rather than list every process
            for (long pid = above + 1; pid <= upTo; pid++) {
                addLive(live, Stat.read(pid, buffer), sinceTicks);
            }
        } else {
            String[] names = new File("/proc").list();
            if (names == null) {
                log.warn("cannot list /proc");
                names = new String[0];
            }
            for (String name : names) {
                long pid = pidOf(name);
                addLive(live, pid <= above || pid > upTo ? null : Stat.read(pid, buffer), sinceTicks);
            }
        }
        Map<Long, Proc> found = new LinkedHashMap<>();
        live.forEach((pid, f) -> {
            if (f.pgrp == pgid) {
                found.put(pid, new Proc(pid, f.startTicks));
            }
        });
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Stat p : live.values()) {
                if (!found.containsKey(p.pid) && found.containsKey(p.ppid)) {
                    found.put(p.pid, new Proc(p.pid, p.startTicks));
                    grew = true;
                }
            }
        }
        return List.copyOf(found.values());
    }

    private static void addLive(Map<Long, Stat> live, Stat f, long sinceTicks) {
        if (f != null && f.state != 'Z' && f.startTicks >= sinceTicks) {
            live.put(f.pid, f);
        }
    }

    /**
     * The fields of /proc/pid/stat that Baton reads (after the command name: 0 state, 1 ppid, 2 pgrp, 19 starttime),
     * read without splitting the line: a scan reads every process of the machine each time a step ends.
     */
    private record Stat(long pid, char state, long ppid, long pgrp, long startTicks) {
        /** Room for a whole stat line: its 52 numbers and the command name (at most 16 bytes, in parentheses). */
        static final int BUFFER = 2048;

        static Stat read(long pid) {
            return read(pid, new byte[BUFFER]);
        }

        /** Reads into {@code buffer} (a scan reuses one for every process). */
        static Stat read(long pid, byte[] buffer) {
            int length = 0;
            try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
                for (int n; length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                    length += n;
                }
            } catch (IOException | RuntimeException e) {
                return null; // gone
            }
            return parse(pid, buffer, length);
        }

        private static Stat parse(long pid, byte[] b, int length) {
            int i = length - 1;
            while (i >= 0 && b[i] != ')') {
                i--;
            }
            if (i < 0 || i + 2 >= length) {
                return null;
            }
            // after ") ": field 0 state, 1 ppid, 2 pgrp, ... 19 starttime
            int at = i + 2;
            char state = (char) b[at];
            long ppid = 0;
            long pgrp = 0;
            long start = 0;
            int field = 0;
            long value = 0;
            for (int j = at; j <= length; j++) {
                byte c = j < length ? b[j] : (byte) ' ';
                if (c == ' ' || c == '\n') {
                    if (field == 1) {
                        ppid = value;
                    } else if (field == 2) {
                        pgrp = value;
                    } else if (field == 19) {
                        start = value;
                        return new Stat(pid, state, ppid, pgrp, start);
                    }
                    field++;
                    value = 0;
                } else if (c >= '0' && c <= '9') {
                    value = value * 10 + (c - '0');
                }
            }
            return null;
        }
    }

    /** The pid a name in /proc stands for, or -1 for the names that are not processes. */
    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /** TERM or KILL one process, unless its pid now names another process. */
    private static void send(Proc p, boolean kill) {
        if (p.alive()) {
            ProcessHandle.of(p.pid()).ifPresent(h -> {
                if (kill) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
