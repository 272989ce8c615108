package io.baton.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A tool the tests run to its end (schemathesis, pytest, node's browser tests): its output and error together in a
 * file, bounded in time; one that outlives the bound is killed with every process it started.
 *
 * @param ended whether it ended within the bound
 * @param exit its exit code (-1 when it was killed)
 * @param output what it wrote, stdout and stderr interleaved
 */
public record ToolRun(boolean ended, int exit, String output) {
    public static ToolRun run(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tool-run", ".log");
        try {
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new ToolRun(ended, ended ? process.exitValue() : -1, Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
