package io.baton.protocol;

/**
 * A worker's operating system: {@code name}, {@code version} (the kernel) and {@code arch} as the JVM sees them;
 * {@code distribution} from {@code /etc/os-release} (null without one).
 */
public record OsInfo(String name, String version, String arch, String distribution) {}
