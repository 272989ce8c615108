package io.baton.worker.hardware;

import com.sun.management.OperatingSystemMXBean;
import io.baton.protocol.OsInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a worker tells the server about its machine: when it registers, and with each attempt it starts. */
public final class HostInfo {
    private HostInfo() {}

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
        if (os instanceof OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    public static String os() {
        OsInfo os = osInfo();
        String kernel = os.name() + " " + os.version();
        return os.distribution() == null ? kernel : os.distribution() + " (" + kernel + ")";
    }

    public static OsInfo osInfo() {
        return new OsInfo(
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                distribution(readOrEmpty(Path.of("/etc/os-release"))));
    }

    /** The model of the machine's CPUs, as {@code /proc/cpuinfo} names it; null where it does not. */
    public static String cpuModel() {
        return cpuModel(readOrEmpty(Path.of("/proc/cpuinfo")));
    }

    /** {@code PRETTY_NAME} of an os-release file (quotes and escapes removed), else its {@code NAME}, else null. */
    static String distribution(String osRelease) {
        Map<String, String> fields = new HashMap<>();
        for (String line : osRelease.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                fields.put(
                        line.substring(0, eq).trim(),
                        unquote(line.substring(eq + 1).trim()));
            }
        }
        String pretty = fields.getOrDefault("PRETTY_NAME", fields.get("NAME"));
        return pretty == null || pretty.isBlank() ? null : pretty;
    }

    /** The first {@code model name} of a {@code /proc/cpuinfo} text (x86; ARM kernels name no model), else null. */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String model = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                return model.isEmpty() ? null : model;
            }
        }
        return null;
    }

    private static String unquote(String value) {
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return value.replaceAll("\\\\(.)", "$1");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return ""; // not Linux, or no such file: nothing to read
        }
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
