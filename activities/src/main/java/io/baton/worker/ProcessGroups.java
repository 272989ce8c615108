package io.baton.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals whole process groups. Every step runs as the leader of its own session, so its pid is its process group
 * id and one signal reaches every process it started (unless one of them made a session of its own, which
 * {@link #members} still finds by walking {@code /proc}).
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
    String[] fields = stat(pid);
    return fields == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[19]));
  }

  /** Every live process in the group, or started by a process in the group, at or after {@code sinceTicks}. */
  public static List<Long> members(long pgid, long sinceTicks) {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.map(p -> p.getFileName().toString()).filter(s -> s.chars().allMatch(Character::isDigit))
          .map(Long::parseLong).forEach(pid -> {
            String[] f = stat(pid);
            if (f != null && Long.parseLong(f[2]) == pgid && Long.parseLong(f[19]) >= sinceTicks
                && !"Z".equals(f[0])) {
              found.add(pid);
            }
          });
    } catch (IOException e) {
      log.warn("cannot list /proc: {}", e.getMessage());
    }
    return found;
  }

  /** TERM the group, wait up to {@code graceMillis} for it to go, then KILL whatever is left; waits until gone. */
  public static void terminate(long pgid, long sinceTicks, long graceMillis) {
    signal(pgid, "TERM");
    long deadline = System.currentTimeMillis() + graceMillis;
    while (System.currentTimeMillis() < deadline && !members(pgid, sinceTicks).isEmpty()) {
      pause(100);
    }
    killAll(pgid, sinceTicks);
  }

  /** KILL the group and every member found in /proc, until none is left (bounded). */
  public static void killAll(long pgid, long sinceTicks) {
    long deadline = System.currentTimeMillis() + 10_000;
    List<Long> left = members(pgid, sinceTicks);
    while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
      signal(pgid, "KILL");
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      pause(50);
      left = members(pgid, sinceTicks);
    }
    if (!left.isEmpty()) {
      log.warn("processes {} of group {} survived KILL", left, pgid);
    }
  }

  /** The fields of /proc/pid/stat after the command name: [0] state, [1] ppid, [2] pgrp, ... [19] starttime. */
  private static String[] stat(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
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
