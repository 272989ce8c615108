package io.baton.worker.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.LoggerFactory;

/**
 * A step's command as a child process (Commons Exec) leading a session of its own, with a parent-death signal, started
 * by {@code baton-launch} or by setpriv and setsid (docs/architecture.md, "The worker").
 */
public final class StepProcess {
    private static final String SETPRIV = findOnPath("setpriv");
    private static final String SETSID = findOnPath("setsid");
    private static final String LAUNCHER = launcher(System.getenv("BATON_LAUNCHER"));

    private final Result result = new Result();
    private final CompletableFuture<Process> process = new CompletableFuture<>();
    private final PidRegistry pids;
    private long pgid = -1;
    private long startTicks;
    /** When the spawn began ({@link System#nanoTime}): the step's processes all got their pids after it. */
    private final long spawnedNanos = System.nanoTime();

    private final boolean ownSession;

    private StepProcess(PidRegistry pids, boolean ownSession) {
        this.pids = pids;
        this.ownSession = ownSession;
    }

    public static StepProcess start(
            List<String> command,
            Path workingDir,
            Map<String, String> env,
            OutputStream stdout,
            OutputStream stderr,
            PidRegistry pids)
            throws IOException {
        return start(command, workingDir, env, stdout, stderr, pids, "KILL");
    }

    /** As above, with the signal the process gets when its parent dies ({@code KILL} for steps). */
    public static StepProcess start(
            List<String> command,
            Path workingDir,
            Map<String, String> env,
            OutputStream stdout,
            OutputStream stderr,
            PidRegistry pids,
            String deathSignal)
            throws IOException {
        return start(command, workingDir, env, stdout, stderr, pids, deathSignal, LAUNCHER, List.of());
    }

    /**
     * As above, started by {@code launcher} ({@code baton-launch}; setpriv and setsid when null) with its sandbox
     * options (none without a launcher).
     */
    public static StepProcess start(
            List<String> command,
            Path workingDir,
            Map<String, String> env,
            OutputStream stdout,
            OutputStream stderr,
            PidRegistry pids,
            String deathSignal,
            String launcher,
            List<String> sandbox)
            throws IOException {
        StepProcess step = new StepProcess(pids, launcher != null || SETPRIV != null && SETSID != null);
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workingDir)
                .setExecuteStreamHandler(new PumpStreamHandler(stdout, stderr))
                .get();
        executor.setExitValues(null); // every exit code is a result, not an exception
        executor.setProcessDestroyer(step.new Capture());
        executor.execute(commandLine(command, deathSignal, launcher, sandbox), env, step.result);
        step.awaitStart();
        return step;
    }

    static CommandLine commandLine(List<String> command, String deathSignal, String launcher) {
        return commandLine(command, deathSignal, launcher, List.of());
    }

    static CommandLine commandLine(List<String> command, String deathSignal, String launcher, List<String> sandbox) {
        List<String> words = new ArrayList<>();
        if (launcher != null) {
            words.add(launcher);
            words.addAll(sandbox);
            words.addAll(
                    List.of(deathSignal, Long.toString(ProcessHandle.current().pid())));
        } else if (SETPRIV != null && SETSID != null) {
            words.addAll(List.of(SETPRIV, "--pdeathsig", deathSignal, "--", SETSID, "--"));
        }
        words.addAll(command);
        return new ExactCommandLine(words);
    }

    private void awaitStart() throws IOException {
        try {
            Process p = process.get(30, TimeUnit.SECONDS);
            pgid = p.pid();
            startTicks = ProcessGroups.startTicks(pgid).orElse(0);
            pids.add(pgid, startTicks);
        } catch (ExecutionException | TimeoutException e) {
            if (result.failure != null) {
                throw new IOException("cannot start the command: " + result.failure.getMessage(), result.failure);
            }
            throw new IOException("the command did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the command", e);
        }
    }

    /**
     * The new session is made a moment after the process starts (an exec or two later); until then the process is in
     * the worker's group and a signal to its own group would reach nothing. Only a signal needs that wait, so start
     * does not make it: a step's command runs while the worker goes on. True once {@link #pid()} names a group of its
     * own, or the process has exited; false when it never got one within a few seconds, and was then killed (it had
     * started nothing: its session is made before the step's command runs).
     */
    private boolean awaitOwnGroup() {
        Process p = process.getNow(null);
        if (p == null || !ownSession) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long pauseNanos = 20_000;
        while (p.isAlive() && ProcessGroups.processGroup(p.pid()).orElse(p.pid()) != p.pid()) {
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                ProcessGroups.killAll(pgid, startTicks); // in case the session was made after the last look
                return false;
            }
            // not interruptible: a worker interrupted while it stops must still end the step's processes
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 1_000_000);
        }
        return true;
    }

    public long pid() {
        return pgid;
    }

    /** Waits up to {@code max} for the process and its output to end; true when it has. */
    public boolean waitFor(Duration max) throws InterruptedException {
        return result.done.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the step's own process has exited, even if its output is still being drained. */
    public boolean leaderExited() {
        Process p = process.getNow(null);
        return p != null && !p.isAlive();
    }

    public boolean done() {
        return result.done.getCount() == 0;
    }

    public int exitCode() {
        if (!done()) {
            throw new IllegalStateException("the process has not ended");
        }
        return result.exitCode;
    }

    /** Kills what the step left running after its own process ended (a step must leave nothing behind). */
    public void killLeftovers() {
        ProcessGroups.killLeftovers(pgid, startTicks, spawnedNanos);
    }

    /** TERM, a grace period, then KILL, for every process of the step; returns once they are gone. */
    public void terminate(Duration grace) {
        boolean interrupted = Thread.interrupted(); // the waits below must run to their end
        try {
            if (awaitOwnGroup()) {
                ProcessGroups.terminate(pgid, startTicks, grace.toMillis());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void forget() {
        pids.remove(pgid);
    }

    /** The launcher steps start with: {@code baton-launch}, or null for setpriv and setsid. */
    public static String launcher() {
        return LAUNCHER;
    }

    /** The launcher named by {@code BATON_LAUNCHER}, when it names an executable file (else setpriv and setsid). */
    public static String launcher(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        if (!Files.isExecutable(Path.of(path))) {
            LoggerFactory.getLogger(StepProcess.class)
                    .warn("BATON_LAUNCHER {} is not an executable file; steps start with setpriv and setsid", path);
            return null;
        }
        return path;
    }

    private static String findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /**
     * The end of the process and its output, signalled at once (Commons Exec's own handler polls every 50 ms, which
     * would add to every step's time).
     */
    private static final class Result implements ExecuteResultHandler {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile int exitCode;
        private volatile ExecuteException failure;

        @Override
        public void onProcessComplete(int exitValue) {
            exitCode = exitValue;
            done.countDown();
        }

        @Override
        public void onProcessFailed(ExecuteException e) {
            failure = e;
            exitCode = e.getExitValue();
            done.countDown();
        }
    }

    /**
     * A command line given to the OS word for word. Commons Exec's own trims every argument and rewrites slashes in
     * the executable, so {@code " a "} or a lone tab would not reach the step as written.
     */
    private static final class ExactCommandLine extends CommandLine {
        private final List<String> words;

        ExactCommandLine(List<String> words) {
            super(words.get(0));
            this.words = List.copyOf(words);
        }

        @Override
        public String[] toStrings() {
            return words.toArray(String[]::new);
        }

        @Override
        public String[] getArguments() {
            return words.subList(1, words.size()).toArray(String[]::new);
        }

        @Override
        public String toString() {
            return words.toString();
        }
    }

    /** Commons Exec hands every process it starts to its destroyer: the way to learn the pid. */
    private final class Capture implements ProcessDestroyer {
        @Override
        public boolean add(Process p) {
            return process.complete(p);
        }

        @Override
        public boolean remove(Process p) {
            return true;
        }

        @Override
        public int size() {
            return process.isDone() ? 1 : 0;
        }
    }
}
