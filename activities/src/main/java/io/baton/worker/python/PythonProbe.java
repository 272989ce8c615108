package io.baton.worker.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.protocol.PythonEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks a {@code python3} for its version, its packages ({@code pip freeze --all}'s lines, read with
 * {@code importlib.metadata}) and its folders, within a time bound; a failure is a problem, never an exception.
 */
public final class PythonProbe {
    /**
     * Reads the folders of {@code sys.path} (not the working directory); the first distribution of a name wins, as in
     * pip. {@code watch}: those folders and the site folders that may not exist yet ({@code pip install --user}).
     */
    static final String SCRIPT = """
      import importlib.metadata as md, json, os, platform, re, site, sys
      paths = [p for p in sys.path if p and os.path.isabs(p) and os.path.isdir(p)]
      found = {}
      for dist in md.distributions(path=paths):
          name = dist.metadata["Name"]
          key = re.sub(r"[-_.]+", "-", name or "").lower()
          if name and key not in found:
              found[key] = name + "==" + dist.version
      try:
          sites = [site.getusersitepackages(), *site.getsitepackages()]
      except AttributeError:
          sites = []
      json.dump({"version": platform.python_version(),
                 "packages": sorted(found.values(), key=str.lower),
                 "watch": paths + [p for p in sites if p not in paths]}, sys.stdout)
      """;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a probe found: the python and the folders whose change may change its packages ({@code watch}), or
     * (python null) the problem.
     */
    public record Result(PythonEnvironment python, List<Path> watch, String problem) {
        public static Result problem(String problem) {
            return new Result(null, List.of(), problem);
        }
    }

    private final Duration timeout;

    PythonProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code executable} with the step's environment {@code env}. */
    Result run(Path executable, Map<String, String> env) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("baton-python-probe", ".json");
            err = Files.createTempFile("baton-python-probe", ".err");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-c", SCRIPT)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return Result.problem(executable + " did not describe itself within " + timeout.toMillis() + " ms");
            }
            if (process.exitValue() != 0) {
                return Result.problem(executable + " exited with code " + process.exitValue() + " describing itself: "
                        + lastLine(Files.readString(err, StandardCharsets.UTF_8)));
            }
            return parse(executable, Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Result.problem("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.problem("interrupted while " + executable + " described itself");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static Result parse(Path executable, String output) {
        try {
            JsonNode answer = JSON.readTree(output);
            List<String> packages = new ArrayList<>();
            answer.path("packages").forEach(p -> packages.add(p.asText()));
            List<Path> watch = new ArrayList<>();
            answer.path("watch").forEach(p -> watch.add(Path.of(p.asText())));
            return new Result(
                    new PythonEnvironment(
                            executable.toString(), answer.path("version").asText(null), packages),
                    List.copyOf(watch),
                    null);
        } catch (IOException | RuntimeException e) {
            return Result.problem(executable + " answered something other than its description: " + e.getMessage());
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1].isEmpty() ? "(no message)" : lines[lines.length - 1];
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind in the temp folder; nothing depends on it
            }
        }
    }
}
