package io.baton.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What a worker tells the server about its machine when it registers. */
public final class HostInfo {
  private HostInfo() {
  }

  public static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "worker";
    }
  }

  public static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  public static long memoryBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  public static String os() {
    String pretty = null;
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // not Linux, or no os-release: the JVM's names below are enough
    }
    String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
    return pretty == null ? kernel : pretty + " (" + kernel + ")";
  }

  /** The version of the first {@code python3} on the given PATH, or null when there is none. */
  public static String pythonVersion(String path) {
    try {
      ProcessBuilder pb = new ProcessBuilder("python3", "--version").redirectErrorStream(true);
      pb.environment().put("PATH", path);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out.replace("Python ", "") : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
