package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run whose steps attack from inside, on a worker of its own (a worker token in its environment, an operator's
 * cloud key beside it) and on local mode's in-process worker (inside the server, whose data folder and database
 * password are there to take): Temporal's port, the API's, the worker's credentials, the worker's folder (its blob
 * cache and pids; local mode's: the data folder), the worker's environment, and processes meant to outlive the step.
 * The API is theirs to reach only through the relay their {@code BATON_SERVER} names.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(
        name = "sandboxed",
        pools = "sandboxed",
        env = {"AWS_SECRET_ACCESS_KEY=operators-cloud-key", "LANG=C.UTF-8"})
class StepSandboxIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATTACK = """
      import json, os, socket, sys, urllib.request
      temporal, api, data, marker = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
      def reach(port):
          s = socket.socket()
          s.settimeout(5)
          try:
              s.connect(("127.0.0.1", port))
              return "connected"
          except OSError as e:
              return "refused"
      def health():
          # the one way out: the relay to the API, at the address the step was given
          try:
              return urllib.request.urlopen(os.environ["BATON_SERVER"] + "/api/v1/health", timeout=10).status
          except Exception as e:
              return str(e)
      def own_run():
          # its own run, read with its attempt's token through the relay
          request = urllib.request.Request(os.environ["BATON_SERVER"] + "/api/v1/runs/" + os.environ["BATON_RUN_ID"],
                                           headers={"Authorization": "Bearer " + os.environ.get("BATON_TOKEN", "")})
          try:
              return urllib.request.urlopen(request, timeout=10).status
          except Exception as e:
              return str(e)
      def tokens():
          # a token other than the step's own attempt token: its worker's
          own = b"BATON_TOKEN=" + os.environ.get("BATON_TOKEN", "").encode()
          found = 0
          for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
              try:
                  entries = open("/proc/%s/environ" % pid, "rb").read().split(b"\\0")
                  found += any(e.startswith(b"BATON_TOKEN=") and e != own for e in entries)
              except OSError:
                  pass
          return found
      def readable(folder):
          # its own workspace and the worker's sitecustomize are the step's to read
          own = [os.environ["HOME"]] + os.environ.get("PYTHONPATH", "").split(":")
          files = []
          for root, dirs, names in os.walk(folder):
              for name in names:
                  path = os.path.join(root, name)
                  if any(o and path.startswith(o + "/") for o in own):
                      continue
                  try:
                      open(path, "rb").read(1)
                      files.append(path)
                  except OSError:
                      pass
          return files
      os.system("setsid sleep 3%s & (sleep 4%s &)" % (marker, marker))
      print(json.dumps({"temporal": reach(temporal), "api": reach(api), "health": health(), "ownRun": own_run(),
                        "server": os.environ.get("BATON_SERVER"), "tokens": tokens(),
                        "dataFiles": readable(data), "env": sorted(os.environ)}))
      """;

    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void stepsReachNeitherTemporalNorTheirWorkersCredentialsNorTheDataFolderAndLeaveNothingRunning() throws Exception {
        String marker = Long.toString(100_000 + (System.nanoTime() & 0xffff));
        int apiPort = URI.create(cluster.apiBase()).getPort();
        String spec = """
        name: attacks
        steps:
          - name: separate
            pool: sandboxed
            command: ["python3", "-c", %1$s, "%2$d", "%3$d", "%4$s", "%6$s"]
          - name: local
            pool: inproc
            command: ["python3", "-c", %1$s, "%2$d", "%3$d", "%5$s", "%6$s"]
        """.formatted(
                        JSON.writeValueAsString(ATTACK),
                        cluster.temporalPort(),
                        apiPort,
                        cluster.workerDir("sandboxed"),
                        cluster.serverDataDir(),
                        marker);

        JsonNode run = Runs.awaitEnd(
                api, Runs.submit(api, spec, null, Map.of()).get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        for (String step : List.of("separate", "local")) {
            String logs = Runs.logs(api, run.get("id").asText(), step, "");
            JsonNode said = JSON.readTree(logs.lines()
                    .filter(l -> l.startsWith("{"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(step + " printed no result:\n" + logs)));
            assertThat(said.get("temporal").asText())
                    .as(step + ": Temporal's port")
                    .isEqualTo("refused");
            assertThat(said.get("api").asText()).as(step + ": the API's port").isEqualTo("refused");
            assertThat(said.get("health").asText())
                    .as(step + ": the API through its relay")
                    .isEqualTo("200");
            assertThat(said.get("ownRun").asText())
                    .as(step + ": its run, with its attempt's token")
                    .isEqualTo("200");
            assertThat(said.get("server").asText()).as(step + ": BATON_SERVER").isEqualTo("http://127.0.0.1:7400");
            assertThat(said.get("tokens").asInt())
                    .as(step + ": environments with a BATON_TOKEN not its own")
                    .isZero();
            assertThat(said.get("dataFiles"))
                    .as(step + ": files of its worker's folder (local mode: the data folder)")
                    .isEmpty();
            List<String> env = new ArrayList<>();
            said.get("env").forEach(name -> env.add(name.asText()));
            assertThat(env)
                    .as(step + ": its environment")
                    .doesNotContain(
                            "AWS_SECRET_ACCESS_KEY",
                            "BATON_DATABASE_PASSWORD",
                            "BATON_ADMIN_TOKEN",
                            "BATON_PAYLOAD_KEY",
                            "BATON_TEMPORAL",
                            "BATON_DATA_DIR")
                    .contains("PATH", "HOME", "TMPDIR", "BATON_RUN_ID");
            if (step.equals("separate")) {
                assertThat(env).as("the worker's LANG, allowed").contains("LANG");
            }
        }
        assertThat(processesWith("sleep\u00003" + marker))
                .as("a setsid child of a step")
                .isEmpty();
        assertThat(processesWith("sleep\u00004" + marker))
                .as("a double-forked child of a step")
                .isEmpty();
    }

    private static List<Long> processesWith(String text) {
        List<Long> found = new ArrayList<>();
        File[] all = new File("/proc").listFiles((dir, name) -> name.matches("\\d+"));
        for (File proc : all == null ? new File[0] : all) {
            try {
                String cmdline = Files.readString(proc.toPath().resolve("cmdline"), StandardCharsets.ISO_8859_1);
                String stat = Files.readString(proc.toPath().resolve("stat"), StandardCharsets.ISO_8859_1);
                if (cmdline.contains(text)
                        && !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    found.add(Long.parseLong(proc.getName()));
                }
            } catch (IOException | RuntimeException gone) {
                // ended while listed
            }
        }
        return found;
    }
}
