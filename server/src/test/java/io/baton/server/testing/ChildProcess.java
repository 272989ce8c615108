package io.baton.server.testing;

import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real child process of the test suite (Temporal, the server, a worker), in its own process group with a
 * parent-death signal, its output appended to a log file. {@link #kill()} is {@code kill -9} of the whole group.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Path log;
    private final PidRegistry pids;
    private StepProcess process;
    private OutputStream out;

    public ChildProcess(
            String name,
            List<String> command,
            Map<String, String> env,
            Path workingDir,
            Path logDir,
            PidRegistry pids) {
        this.name = name;
        this.command = command;
        this.env = env;
        this.workingDir = workingDir;
        this.log = logDir.resolve(name + ".log");
        this.pids = pids;
    }

    public synchronized ChildProcess start() throws IOException {
        out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.write(("\n===== start " + name + " =====\n").getBytes());
        process = StepProcess.start(command, workingDir, env, out, out, pids);
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && !process.done();
    }

    /** Sends SIGTERM to the process itself (not its group), as {@code docker stop} or systemd would. */
    public void sigterm() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                .start()
                .waitFor();
    }

    /** {@code kill -9} of the process and everything it started. */
    public synchronized void kill() throws IOException {
        if (process != null) {
            process.killLeftovers();
            waitGone();
        }
    }

    /** SIGTERM, then KILL after a grace period. */
    public synchronized void stop(Duration grace) throws IOException {
        if (process != null) {
            process.terminate(grace);
            waitGone();
        }
    }

    private void waitGone() throws IOException {
        try {
            process.waitFor(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.forget();
        process = null;
        out.close();
    }

    public Path log() {
        return log;
    }

    public String logTail(int chars) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - chars));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        stop(Duration.ofSeconds(5));
    }
}
