package io.baton.worker.process;

import io.baton.worker.testing.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Bash scripts a test starts as steps (each in a process group of its own), all killed when the test ends:
 * {@code @RegisterExtension final TestSteps steps = new TestSteps();}.
 */
final class TestSteps implements AfterEachCallback {
    private final List<Long> started = new ArrayList<>();

    /**
     * Starts {@code script} in {@code dir}, recording its group in {@code pids}; returns once the script leads its own
     * process group (setsid runs a moment after the start returns), as it does long before a worker could be killed
     * and reaped.
     */
    StepProcess start(Path dir, PidRegistry pids, String script) throws IOException {
        StepProcess p = StepProcess.start(
                List.of("bash", "-c", script),
                dir,
                Map.copyOf(System.getenv()),
                OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(),
                pids);
        started.add(p.pid());
        Eventually.await("step " + p.pid() + " in a group of its own", Duration.ofSeconds(10), () -> {
            // one read of its stat: a script that exits at once may be gone between two reads
            String[] stat = Procs.stat(p.pid());
            return stat == null || "Z".equals(stat[0]) || Long.parseLong(stat[2]) == p.pid();
        });
        return p;
    }

    /** A process the test learned of otherwise (a step's child), to be killed at the end too. */
    long track(long pid) {
        started.add(pid);
        return pid;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        started.clear();
    }
}
