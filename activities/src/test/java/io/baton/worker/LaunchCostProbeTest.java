package io.baton.worker;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchCostProbeTest {
  @Test
  void measure() throws Exception {
    String launcher = Path.of("../.baton/bin/baton-launch").toAbsolutePath().normalize().toString();
    Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "cost");
    Path data = root.resolve("data");
    Path work = Files.createDirectories(data.resolve("worker"));
    Files.createDirectories(work.resolve("python"));
    PidRegistry pids = new PidRegistry(work.resolve("pids"));
    StepSandbox sandbox = StepSandbox.probe(launcher, new StepSandbox.Settings("isolated", List.of(work, data), List.of(work.resolve("python")), null),
        work.resolve("workspaces").resolve(".probe"));
    Workspace ws = Workspace.of(work, "r", "s", 1).create();
    Map<String, String> env = StepEnvironment.base(System.getenv(), List.of(), List.of());
    String[] names = {"setpriv+setsid", "baton-launch", "sandbox", "sandbox-no-net", "reap-only"};
    List<List<String>> opts = List.of(List.of(), List.of(), sandbox.options(ws.root(), ws.code()),
        StepSandboxCost.withoutNet(sandbox.options(ws.root(), ws.code())), List.of("--reap"));
    long[] total = new long[names.length];
    int rounds = Integer.getInteger("rounds", 300);
    for (int i = 0; i < rounds + 30; i++) {
      for (int k = 0; k < names.length; k++) {
        long t = System.nanoTime();
        StepProcess p = StepProcess.start(List.of("true"), ws.code(), env, OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream(), pids, "KILL", k == 0 ? null : launcher, opts.get(k));
        p.waitFor(Duration.ofSeconds(30));
        p.killLeftovers();
        p.forget();
        if (i >= 30) {
          total[k] += System.nanoTime() - t;
        }
      }
    }
    for (int k = 0; k < names.length; k++) {
      System.out.printf("LAUNCH-COST %-16s %.2f ms%n", names[k], total[k] / 1e6 / rounds);
    }
  }
}

final class StepSandboxCost {
  static List<String> withoutNet(List<String> o) {
    return o.stream().filter(x -> !x.equals("--net")).toList();
  }
}
