package io.baton.worker.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a step's Python writes its output: block-buffered, flushed every 0.1 s by a {@code sitecustomize.py} of the
 * worker's (docs/architecture.md, "The worker", says why and when it is off).
 */
public final class PythonOutput {
    private static final Logger log = LoggerFactory.getLogger(PythonOutput.class);
    static final String UNBUFFERED = "PYTHONUNBUFFERED";
    static final String PYTHONPATH = "PYTHONPATH";

    /** The folder holding the sitecustomize; null when it could not be written (steps are then unbuffered). */
    private final Path folder;

    private PythonOutput(Path folder) {
        this.folder = folder;
    }

    /** Writes the sitecustomize into {@code workDir/python} (whole, replacing an older one). */
    public static PythonOutput install(Path workDir) {
        Path folder = workDir.resolve("python");
        try (InputStream in = PythonOutput.class.getResourceAsStream("sitecustomize.py")) {
            if (in == null) {
                throw new IOException("sitecustomize.py is missing from the worker's jar");
            }
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, "sitecustomize", ".tmp");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(
                        temp,
                        folder.resolve("sitecustomize.py"),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new PythonOutput(folder.toAbsolutePath());
        } catch (IOException e) {
            log.warn(
                    "cannot write {}/sitecustomize.py ({}); Python steps run with {}=1",
                    folder,
                    e.getMessage(),
                    UNBUFFERED);
            return new PythonOutput(null);
        }
    }

    /**
     * Compiles the sitecustomize with the steps' {@code python3}, if there is one, so that no step compiles it at its
     * start (a millisecond or two; a step's interpreter may not write the compiled file itself). Best effort.
     */
    public void compile(Map<String, String> process) {
        Path executable =
                PythonEnvironments.onPath("python3", process.get("PATH")); // the steps' PATH, not the worker's
        if (folder == null || executable == null) {
            return;
        }
        ProcessBuilder python = new ProcessBuilder(List.of(
                        executable.toString(),
                        "-c",
                        "import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True)",
                        folder.resolve("sitecustomize.py").toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        python.environment().clear();
        python.environment().putAll(process);
        python.environment().remove(PYTHONPATH); // compiling imports nothing of this folder
        try {
            Process p = python.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            log.debug("no python3 to compile sitecustomize.py with: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sets how the step's Python writes in its process environment {@code env}; {@code given}: the variables Baton
     * and the step's spec give it (where a step's own {@code PYTHONUNBUFFERED} is).
     */
    public void apply(Map<String, String> env, Map<String, String> given) {
        if (given.containsKey(UNBUFFERED)) {
            env.put(UNBUFFERED, given.get(UNBUFFERED));
            return;
        }
        if (folder == null) {
            env.put(UNBUFFERED, "1");
            return;
        }
        env.remove(UNBUFFERED);
        String path = env.get(PYTHONPATH);
        env.put(PYTHONPATH, path == null || path.isEmpty() ? folder.toString() : folder + ":" + path);
    }

    /** As {@link #apply} for a step run in a container image: without the worker's folder, unbuffered. */
    public void applyInImage(Map<String, String> env) {
        String path = env.get(PYTHONPATH);
        if (folder != null && path != null && (path.equals(folder.toString()) || path.startsWith(folder + ":"))) {
            String rest =
                    path.substring(Math.min(path.length(), folder.toString().length() + 1));
            if (rest.isEmpty()) {
                env.remove(PYTHONPATH);
            } else {
                env.put(PYTHONPATH, rest);
            }
            env.putIfAbsent(UNBUFFERED, "1");
        } else if (folder == null) {
            env.putIfAbsent(UNBUFFERED, "1");
        }
    }
}
