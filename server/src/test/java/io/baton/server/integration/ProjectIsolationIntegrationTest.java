package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two users in two projects, on the real cluster with a real worker: neither sees the other's runs, logs, metrics,
 * records or artifacts by any route, and a step of one project cannot read the other's with its attempt token.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class ProjectIsolationIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static Api api; // set by ClusterExtension

    private static final String ALPHA_SPEC = """
            name: alpha-train
            steps:
              - name: train
                command: ["sh", "-c", "echo alpha-log-line; echo '{\\"loss\\": 0.25}'; echo alpha-secret > $BATON_OUTPUTS/model.txt"]
                outputs: [model.txt]
            """;

    /** A step of project beta that tries to read a run of alpha (and its own) with its attempt token. */
    private static final String PROBE = """
            import json, os, sys, urllib.request
            def status(path):
                r = urllib.request.Request(os.environ["BATON_SERVER"] + "/api/v1" + path,
                                           headers={"Authorization": "Bearer " + os.environ["BATON_TOKEN"]})
                try:
                    return urllib.request.urlopen(r).status
                except urllib.error.HTTPError as e:
                    return e.code
            print("PROBE other=%d own=%d" % (status("/runs/" + sys.argv[1]), status("/runs/" + os.environ["BATON_RUN_ID"])))
            """;

    @Test
    void twoUsersInTwoProjectsSeeNothingOfEachOther() throws Exception {
        Api alice = api.user("iso-alice");
        Api bob = api.user("iso-bob");
        assertThat(alice.post("/projects", Map.of("name", "iso-alpha")).status())
                .isEqualTo(201);
        assertThat(bob.post("/projects", Map.of("name", "iso-beta")).status()).isEqualTo(201);

        JsonNode run = submit(alice, "iso-alpha", ALPHA_SPEC, null);
        String id = run.get("id").asText();
        JsonNode done = Runs.awaitEnd(alice, id, RUN_TIMEOUT);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode artifacts = alice.get("/runs/" + id + "/artifacts").json().get("items");
        String sha = artifacts.get(0).get("sha256").asText();
        assertThat(alice.get("/artifacts/" + sha).text()).contains("alpha-secret");
        assertThat(alice.get("/runs/" + id + "/steps/train/logs").text()).contains("alpha-log-line");

        for (String path : List.of(
                "/runs/" + id,
                "/runs/" + id + "/record",
                "/runs/" + id + "/metrics",
                "/runs/" + id + "/artifacts",
                "/runs/" + id + "/steps/train/logs",
                "/artifacts/" + sha,
                "/pipelines?project=iso-alpha",
                "/projects/iso-alpha")) {
            Api.Answer a = bob.get(path);
            assertThat(a.status()).as(path + ": " + a.text()).isEqualTo(404);
            assertThat(a.text()).doesNotContain("alpha-secret").doesNotContain("alpha-log-line");
        }
        assertThat(bob.get("/runs").text()).doesNotContain(id);
        assertThat(bob.get("/runs?createdBy=iso-alice").json().get("items")).isEmpty();
        assertThat(bob.get("/workers/w1").text()).doesNotContain(id);
        assertThat(bob.withToken(bob.token())
                        .post("/runs/" + id + "/reproduce", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(bob.withToken(bob.token())
                        .post("/runs", Map.of("project", "iso-alpha", "spec", ALPHA_SPEC))
                        .status())
                .as("bob cannot run a step in alice's project")
                .isEqualTo(404);

        // a step of bob's project holds an attempt token that reads its own project only
        String bundle = bundle(bob, "iso-beta", Map.of("probe.py", PROBE));
        String probeSpec =
                "name: probe\nsteps:\n  - name: probe\n    command: [\"python3\", \"probe.py\", \"" + id + "\"]\n";
        JsonNode probe = submit(bob, "iso-beta", probeSpec, bundle);
        JsonNode probed = Runs.awaitEnd(bob, probe.get("id").asText(), RUN_TIMEOUT);
        assertThat(probed.get("status").asText()).as(probed.toString()).isEqualTo("SUCCEEDED");
        assertThat(bob.get("/runs/" + probe.get("id").asText() + "/steps/probe/logs")
                        .text())
                .contains("PROBE other=404 own=200");
    }

    private static JsonNode submit(Api as, String project, String spec, String bundle) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", project);
        body.put("spec", spec);
        if (bundle != null) {
            body.put("bundle", bundle);
        }
        Api.Answer a = as.post("/runs", body);
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        return a.json();
    }

    private static String bundle(Api as, String project, Map<String, String> files) throws Exception {
        Api.Answer a = as.postRaw("/bundles?project=" + project, "application/gzip", Bundles.of(files), Map.of());
        assertThat(a.status()).as(a.text()).isIn(200, 201);
        return a.json().get("sha256").asText();
    }
}
