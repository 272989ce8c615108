package io.baton.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The machine's process table, read from /proc: which live processes carry given environment variables. */
public final class Processes {
    private Processes() {}

    /** Live (not zombie) processes whose environment holds every {@code NAME=value} given. */
    public static List<Long> withEnvironment(String... entries) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                                return false;
                            }
                            List<String> environ =
                                    Arrays.asList(new String(Files.readAllBytes(p.resolve("environ"))).split("\0"));
                            return environ.containsAll(List.of(entries));
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
