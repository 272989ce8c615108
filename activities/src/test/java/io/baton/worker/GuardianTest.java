package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guardian's shell script, run for real: what it kills when it is woken, and what it leaves alone. */
class GuardianTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  Path tmp;
  private final List<Long> toEnd = new ArrayList<>();

  @AfterEach
  void endWhatIsLeft() {
    toEnd.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void wokenItKillsEveryRecordedGroupWithItsChildren() throws Exception {
    Path pids = tmp.resolve("pids");
    Guardian guardian = Guardian.start(tmp, pids, new PidRegistry(tmp.resolve("own")));
    StepProcess step = startStep(new PidRegistry(pids), "sleep 300 & echo $! > child.pid; sleep 300");
    long child = Procs.pidFrom(tmp.resolve("child.pid"));
    toEnd.add(child);

    guardian.close(); // TERM, as when its worker dies

    Eventually.await("the step and its child to be killed", PATIENCE,
        () -> !Procs.running(step.pid()) && !Procs.running(child));
  }

  @Test
  void itSparesAGroupWhoseLeaderIsAnotherProcessThanTheRecordedOne() throws Exception {
    Path pids = tmp.resolve("pids");
    Guardian guardian = Guardian.start(tmp, pids, new PidRegistry(tmp.resolve("own")));
    StepProcess recorded = startStep(new PidRegistry(pids), "sleep 300");
    StepProcess other = startStep(new PidRegistry(tmp.resolve("elsewhere")), "sleep 300");
    // the record names the other group's pid with a start time its leader does not have: a recycled pid
    Files.writeString(pids.resolve(Long.toString(other.pid())), Long.toString(Procs.startTicks(other.pid()) - 100));

    guardian.close();

    Eventually.await("the recorded step to be killed", PATIENCE, () -> !Procs.running(recorded.pid()));
    assertThat(Procs.running(other.pid())).isTrue();
  }

  private StepProcess startStep(PidRegistry pids, String script) throws IOException {
    StepProcess p = StepProcess.start(List.of("bash", "-c", script), tmp, Map.copyOf(System.getenv()),
        OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), pids);
    toEnd.add(p.pid());
    return p;
  }
}
