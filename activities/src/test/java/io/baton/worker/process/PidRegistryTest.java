package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.worker.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PidRegistryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @RegisterExtension
    final TestSteps steps = new TestSteps();

    @Test
    void reapKillsAGroupLeftRunningByAWorkerThatDied() throws Exception {
        Path dir = tmp.resolve("pids");
        StepProcess leftover = startStep(new PidRegistry(dir), "sleep 300 & echo $! > child.pid; sleep 300");
        long child = child();
        // The worker "dies": nobody terminates the step. The next worker opens the same folder.

        int reaped = new PidRegistry(dir).reapLeftovers();

        assertThat(reaped).isEqualTo(1);
        assertThat(Procs.running(leftover.pid())).isFalse();
        assertThat(Procs.running(child)).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void reapKillsChildrenWhoseLeaderHasAlreadyExited() throws Exception {
        Path dir = tmp.resolve("pids");
        StepProcess leftover = startStep(new PidRegistry(dir), "sleep 300 & echo $! > child.pid");
        long child = child();
        Eventually.await("the leader to exit", PATIENCE, leftover::leaderExited);

        assertThat(new PidRegistry(dir).reapLeftovers()).isEqualTo(1);
        assertThat(Procs.running(child)).isFalse();
    }

    @Test
    void aStaleRecordWhoseProcessIsGoneIsRemovedAndNotCounted() throws Exception {
        Path dir = tmp.resolve("pids");
        Process gone = new ProcessBuilder("true").start();
        long startTicks = ProcessGroups.startTicks(gone.pid()).orElse(1);
        gone.waitFor();
        new PidRegistry(dir).add(gone.pid(), startTicks);

        assertThat(new PidRegistry(dir).reapLeftovers()).isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void returnsHowManyGroupsItKilled() throws Exception {
        Path dir = tmp.resolve("pids");
        PidRegistry before = new PidRegistry(dir);
        StepProcess one = startStep(before, "sleep 300");
        StepProcess two = startStep(before, "sleep 300");
        before.add(999_999_999L, 12345); // no such process

        assertThat(new PidRegistry(dir).reapLeftovers()).isEqualTo(2);
        assertThat(Procs.running(one.pid())).isFalse();
        assertThat(Procs.running(two.pid())).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void neverKillsAProcessThatWasGivenARecordedPidLater() throws Exception {
        // A session leader that the record does not describe: its start time differs, as for a recycled pid.
        Process other = new ProcessBuilder("setsid", "sleep", "300").start();
        steps.track(other.pid());
        Eventually.await(
                "setsid to make its session",
                PATIENCE,
                () -> Procs.running(other.pid()) && Procs.session(other.pid()) == other.pid());
        Path dir = tmp.resolve("pids");
        new PidRegistry(dir).add(other.pid(), Procs.startTicks(other.pid()) - 100);

        assertThat(new PidRegistry(dir).reapLeftovers()).isZero();
        assertThat(other.isAlive()).isTrue();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aCorruptRecordDoesNotStopTheOthersFromBeingReaped() throws Exception {
        Path dir = tmp.resolve("pids");
        StepProcess leftover = startStep(new PidRegistry(dir), "sleep 300");
        Files.writeString(dir.resolve("12345"), ""); // a worker killed while it wrote the record
        Files.writeString(dir.resolve("not-a-pid"), "1");
        Files.writeString(dir.resolve("23456"), "garbage");

        assertThat(new PidRegistry(dir).reapLeftovers()).isEqualTo(1);
        assertThat(Procs.running(leftover.pid())).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    private StepProcess startStep(PidRegistry pids, String script) throws IOException {
        return steps.start(tmp, pids, script);
    }

    private long child() {
        return steps.track(Procs.pidFrom(tmp.resolve("child.pid")));
    }
}
