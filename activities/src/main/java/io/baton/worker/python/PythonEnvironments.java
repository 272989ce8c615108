package io.baton.worker.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code python3} of each step environment, described once and cached while nothing it was read from has changed;
 * a problem is kept only a minute.
 */
public final class PythonEnvironments {
    private static final Duration KEEP_PROBLEMS = Duration.ofMinutes(1);

    private final PythonProbe probe;
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    public PythonEnvironments(Duration timeout) {
        this.probe = new PythonProbe(timeout);
    }

    /** The executable and the variables that decide which packages it sees. */
    private record Key(Path executable, Map<String, String> pythonVariables) {}

    /** A file's modification time when the description was made (null: it did not exist). */
    private record Stamp(Path path, FileTime modified) {
        static List<Stamp> of(Path executable, List<Path> watched) {
            List<Stamp> stamps = new ArrayList<>();
            stamps.add(new Stamp(executable, modified(executable)));
            watched.forEach(p -> stamps.add(new Stamp(p, modified(p))));
            return stamps;
        }

        private static FileTime modified(Path path) {
            try {
                return Files.getLastModifiedTime(path);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * {@code settled}: nothing it was read from changed after the probe started (else it may be stale at once). A
     * change in the probe's first millisecond still came before python, which takes longer to start, read anything.
     */
    private record Entry(PythonProbe.Result result, List<Stamp> stamps, long madeAtNanos, boolean settled) {
        static Entry of(PythonProbe.Result result, Path executable, long startedAtMillis, long madeAtNanos) {
            List<Stamp> stamps = Stamp.of(executable, result.watch());
            boolean settled = stamps.stream()
                    .allMatch(s -> s.modified() == null || s.modified().toMillis() <= startedAtMillis);
            return new Entry(result, stamps, madeAtNanos, settled);
        }

        boolean current(Path executable) {
            boolean kept = result.python() != null || System.nanoTime() - madeAtNanos < KEEP_PROBLEMS.toNanos();
            return settled && kept && stamps.equals(Stamp.of(executable, result.watch()));
        }
    }

    /** The python3 that a process with environment {@code env} starts when it runs {@code python3}. */
    public PythonProbe.Result describe(Map<String, String> env) {
        Path executable = onPath("python3", env.get("PATH"));
        if (executable == null) {
            return PythonProbe.Result.problem("no python3 on the step's PATH");
        }
        Key key = new Key(executable, pythonVariables(env));
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            Entry entry = entries.get(key);
            if (entry != null && entry.current(executable)) {
                return entry.result();
            }
            long startedAtMillis = System.currentTimeMillis();
            long madeAtNanos = System.nanoTime();
            PythonProbe.Result result = probe.run(executable, env);
            entries.put(key, Entry.of(result, executable, startedAtMillis, madeAtNanos));
            return result;
        }
    }

    /** The first executable file named {@code name} in the absolute folders of {@code path}; null when none. */
    static Path onPath(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (dir.startsWith("/")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** {@code PYTHONPATH}, {@code PYTHONHOME}, {@code PYTHONUSERBASE}, pyenv's choice and the like. */
    private static Map<String, String> pythonVariables(Map<String, String> env) {
        Map<String, String> chosen = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("PYTHON") || name.startsWith("PYENV")) {
                chosen.put(name, value);
            }
        });
        return chosen;
    }
}
