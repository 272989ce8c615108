package io.baton.worker;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals whole process groups. Every step runs as the leader of its own session, so its pid is its process group
 * id and one signal reaches every process it started (unless one of them made a session of its own, which
 * {@link #members} still finds by walking {@code /proc} from parent to child, as long as its parent lives).
 */
public final class ProcessGroups {
  private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);

  private ProcessGroups() {
  }

  /** Sends a signal ("TERM", "KILL") to the group; false when no process of it is left. */
  public static boolean signal(long pgid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
    while (System.currentTimeMillis() < deadline && !stillRunning(pgid, sinceTicks, known).isEmpty()) {
      pause(100);
    }
    kill(pgid, sinceTicks, known);
  }

  /** KILL the group and every member found in /proc, until none is left (bounded). */
  public static void killAll(long pgid, long sinceTicks) {
    kill(pgid, sinceTicks, new LinkedHashSet<>());
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
    Map<Long, Stat> live = new HashMap<>();
    String[] names = new File("/proc").list();
    if (names == null) {
      log.warn("cannot list /proc");
      names = new String[0];
    }
    byte[] buffer = new byte[Stat.BUFFER];
    for (String name : names) {
      long pid = pidOf(name);
      Stat f = pid < 0 ? null : Stat.read(pid, buffer);
      if (f != null && f.state != 'Z' && f.startTicks >= sinceTicks) {
        live.put(f.pid, f);
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
