package io.baton.worker.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes sure no step outlives its worker, even after a {@code kill -9}: a tiny process that the kernel wakes when the
 * worker dies, and that kills every process group the worker recorded (docs/architecture.md, "The worker").
 */
public final class Guardian implements AutoCloseable {
    private static final String SCRIPT = """
      # Baton worker guardian: on TERM (the worker died, or is stopping), kill every recorded step process group.
      # A record holds the group leader's start time: a live leader that started at another time is another
      # process that got the pid since, and its group is left alone (as PidRegistry.reapLeftovers does).
      dir="$1"
      reap() {
        for f in "$dir"/*; do
          [ -e "$f" ] || continue
          group=$(basename "$f")
          if [ -r "/proc/$group/stat" ]; then
            started=$(sed 's/.*) //' "/proc/$group/stat" 2>/dev/null | cut -d' ' -f20)
            [ -n "$started" ] && [ "$started" != "$(cat "$f" 2>/dev/null)" ] && continue
          fi
          # no "--": dash's kill (Debian's sh) refuses it, and then signals nothing
          kill -KILL "-$group" 2>/dev/null
        done
        exit 0
      }
      trap reap TERM INT HUP
      while :; do sleep 3600 & wait $!; done
      """;

    private final StepProcess process;

    private Guardian(StepProcess process) {
        this.process = process;
    }

    /** {@code own}: where the guardian's own pid is kept, apart from the step groups it guards. */
    public static Guardian start(Path workDir, Path pidsDir, PidRegistry own) throws IOException {
        Path script = workDir.resolve("guardian.sh");
        Files.writeString(script, SCRIPT);
        OutputStream discard = OutputStream.nullOutputStream();
        StepProcess process = StepProcess.start(
                List.of("sh", script.toString(), pidsDir.toAbsolutePath().toString()),
                workDir,
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                discard,
                discard,
                own,
                "TERM");
        return new Guardian(process);
    }

    /** Stops the guardian; it kills whatever step process group is still recorded on its way out. */
    @Override
    public void close() {
        process.terminate(Duration.ofSeconds(5));
        process.forget();
    }
}
