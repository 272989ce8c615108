package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.worker.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The guardian's shell script, run for real: what it kills when it is woken, and what it leaves alone. */
class GuardianTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @RegisterExtension
    final TestSteps steps = new TestSteps();

    @Test
    void wokenItKillsEveryRecordedGroupWithItsChildren() throws Exception {
        Path pids = tmp.resolve("pids");
        Guardian guardian = Guardian.start(tmp, pids, new PidRegistry(tmp.resolve("own")));
        StepProcess step = steps.start(tmp, new PidRegistry(pids), "sleep 300 & echo $! > child.pid; sleep 300");
        long child = steps.track(Procs.pidFrom(tmp.resolve("child.pid")));

        guardian.close(); // TERM, as when its worker dies

        Eventually.await(
                "the step and its child to be killed",
                PATIENCE,
                () -> !Procs.running(step.pid()) && !Procs.running(child));
    }

    @Test
    void itSparesAGroupWhoseLeaderIsAnotherProcessThanTheRecordedOne() throws Exception {
        Path pids = tmp.resolve("pids");
        Guardian guardian = Guardian.start(tmp, pids, new PidRegistry(tmp.resolve("own")));
        StepProcess recorded = steps.start(tmp, new PidRegistry(pids), "sleep 300");
        StepProcess other = steps.start(tmp, new PidRegistry(tmp.resolve("elsewhere")), "sleep 300");
        // the record names the other group's pid with a start time its leader does not have: a recycled pid
        Files.writeString(pids.resolve(Long.toString(other.pid())), Long.toString(Procs.startTicks(other.pid()) - 100));

        guardian.close();

        Eventually.await("the recorded step to be killed", PATIENCE, () -> !Procs.running(recorded.pid()));
        assertThat(Procs.running(other.pid())).isTrue();
    }
}
