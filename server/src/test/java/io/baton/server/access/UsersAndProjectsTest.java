package io.baton.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.InProcessServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users, sign-in, projects, teams and roles on the real application (fast tier): who may see and do what in which
 * project, through the routes a user calls.
 */
class UsersAndProjectsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private static final String SPEC = "name: p\nsteps:\n  - name: a\n    command: [\"true\"]\n";
    private static Api admin;

    @BeforeAll
    static void admin() {
        admin = server.admin();
    }

    @Test
    void aUserSignsInWithTheirPasswordAndTheSessionTokenActsAsThem() {
        Api.Answer created = admin.post(
                "/users", Map.of("name", "carol", "email", "carol@example.org", "password", "correct horse battery"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text()).doesNotContain("correct horse").doesNotContain("argon2");
        assertThat(admin.post("/users", Map.of("name", "carol")).status()).isEqualTo(409);

        Api.Answer login =
                server.anonymous().post("/login", Map.of("name", "carol", "password", "correct horse battery"));
        assertThat(login.status()).as(login.text()).isEqualTo(200);
        assertThat(login.json().get("user").get("name").asText()).isEqualTo("carol");
        assertThat(login.json().get("expiresAt").asText()).isNotEmpty();
        Api carol = admin.withToken(login.json().get("token").asText());
        JsonNode me = carol.get("/me").json();
        assertThat(me.get("user").get("name").asText()).isEqualTo("carol");
        assertThat(me.get("teams").findValuesAsText("")).isEmpty();
        assertThat(me.get("teams").toString()).contains("everyone");
        assertThat(me.get("projects").toString())
                .as("project default is open to everyone as an editor")
                .contains("\"name\":\"default\",\"role\":\"editor\"");
        Api.Answer run = carol.post("/runs", Map.of("spec", SPEC));
        assertThat(run.status()).as(run.text()).isEqualTo(201);
        assertThat(run.json().get("createdBy").asText()).isEqualTo("carol");
        assertThat(run.json().get("createdById").asText())
                .isEqualTo(me.get("user").get("id").asText());
    }

    @Test
    void wrongPasswordsAreRefusedAlikeAndThrottledPerUser() {
        admin.post("/users", Map.of("name", "dave", "password", "dave's password"));
        Api anonymous = server.anonymous();
        Api.Answer unknown = anonymous.post("/login", Map.of("name", "nobody-at-all", "password", "whatever1"));
        Api.Answer wrong = anonymous.post("/login", Map.of("name", "dave", "password", "not it at all"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("message").asText())
                .as("an unknown user and a wrong password read the same")
                .isEqualTo(unknown.json().get("message").asText());
        for (int i = 0; i < 4; i++) {
            anonymous.post("/login", Map.of("name", "dave", "password", "guess " + i));
        }
        Api.Answer throttled = anonymous.post("/login", Map.of("name", "dave", "password", "dave's password"));
        assertThat(throttled.status())
                .as("even the right password, once throttled")
                .isEqualTo(429);
        assertThat(throttled.json().get("error").asText()).isEqualTo("too_many_requests");
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isPositive();
    }

    @Test
    void aServiceAccountHasNoPasswordButTokensAndADisabledUserLosesThemAtOnce() {
        Api ci = admin.user("ci-bot");
        assertThat(admin.get("/users/ci-bot").json().get("serviceAccount").asBoolean())
                .isTrue();
        assertThat(server.anonymous()
                        .post("/login", Map.of("name", "ci-bot", "password", ""))
                        .status())
                .isIn(400, 401);
        assertThat(ci.get("/me").status()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/users/ci-bot", null).status()).isEqualTo(204);
        assertThat(ci.get("/me").status()).isEqualTo(401);
    }

    @Test
    void aProjectIsInvisibleWithoutARoleReadOnlyForAViewerAndWritableForAnEditor() {
        Api owner = admin.user("owner1");
        Api viewer = admin.user("viewer1");
        Api stranger = admin.user("stranger1");
        Api.Answer project = owner.post("/projects", Map.of("name", "secret-proj", "description", "ours"));
        assertThat(project.status()).as(project.text()).isEqualTo(201);
        assertThat(project.json().get("role").asText()).isEqualTo("admin");
        owner.grant("secret-proj", "viewer1", "viewer");

        Api.Answer run = owner.post("/runs", Map.of("project", "secret-proj", "spec", SPEC));
        assertThat(run.status()).as(run.text()).isEqualTo(201);
        String id = run.json().get("id").asText();

        // the stranger learns nothing: the same 404 as for what does not exist
        for (String path : List.of(
                "/runs/" + id,
                "/runs/" + id + "/record",
                "/runs/" + id + "/metrics",
                "/runs/" + id + "/artifacts",
                "/runs/" + id + "/steps/a/logs",
                "/projects/secret-proj",
                "/projects/secret-proj/members",
                "/pipelines?project=secret-proj",
                "/runs?project=secret-proj")) {
            Api.Answer a = stranger.get(path);
            assertThat(a.status()).as(path + ": " + a.text()).isEqualTo(404);
        }
        assertThat(stranger.get("/runs/" + id).json().get("message").asText().replace(id, "X"))
                .isEqualTo(stranger.get("/runs/no-such-run")
                        .json()
                        .get("message")
                        .asText()
                        .replace("no-such-run", "X"));
        assertThat(stranger.get("/runs").text()).doesNotContain(id);
        assertThat(stranger.get("/projects").text()).doesNotContain("secret-proj");
        assertThat(fresh(stranger).post("/runs/" + id + "/cancel", Map.of()).status())
                .isEqualTo(404);
        assertThat(fresh(stranger)
                        .post("/runs", Map.of("project", "secret-proj", "spec", SPEC))
                        .status())
                .isEqualTo(404);

        // the viewer reads, and gets 403 on every write
        assertThat(viewer.get("/runs/" + id).status()).isEqualTo(200);
        assertThat(viewer.get("/runs?project=secret-proj").text()).contains(id);
        Api.Answer cancel = fresh(viewer).post("/runs/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.json().get("message").asText()).contains("viewer").contains("editor");
        assertThat(fresh(viewer)
                        .post("/runs", Map.of("project", "secret-proj", "spec", SPEC))
                        .status())
                .isEqualTo(403);
        assertThat(fresh(viewer)
                        .post("/pipelines", Map.of("project", "secret-proj", "spec", SPEC))
                        .status())
                .isEqualTo(403);
        assertThat(fresh(viewer)
                        .post("/runs/" + id + "/steps/a/approve", Map.of())
                        .status())
                .as("approving needs the approve permission")
                .isEqualTo(403);
        assertThat(fresh(viewer)
                        .send("PUT", "/projects/secret-proj/members/stranger1", Map.of("role", "admin"))
                        .status())
                .isEqualTo(403);

        // an editor writes but does not manage members
        owner.grant("secret-proj", "viewer1", "editor");
        assertThat(fresh(viewer)
                        .post("/runs", Map.of("project", "secret-proj", "spec", SPEC))
                        .status())
                .isEqualTo(201);
        assertThat(fresh(viewer)
                        .send("PUT", "/projects/secret-proj/members/stranger1", Map.of("role", "viewer"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aTeamsRoleReachesItsMembers() {
        Api member = admin.user("teammate1");
        assertThat(admin.post("/teams", Map.of("name", "vision-team")).status()).isEqualTo(201);
        assertThat(admin.send("PUT", "/teams/vision-team/members/teammate1", null)
                        .status())
                .isEqualTo(200);
        admin.project("vision").grant("vision", "vision-team", "viewer");
        assertThat(member.get("/projects/vision").json().get("role").asText()).isEqualTo("viewer");
        assertThat(member.get("/me").json().get("teams").toString()).contains("vision-team");
        assertThat(admin.send("DELETE", "/teams/vision-team/members/teammate1", null)
                        .status())
                .isEqualTo(204);
        assertThat(member.get("/projects/vision").status()).isEqualTo(404);
    }

    @Test
    void aBundleOrArtifactOfAnotherProjectIsAsUnknownAsAMissingOne() throws Exception {
        Api owner = admin.user("bundle-owner");
        Api other = admin.user("bundle-other");
        owner.post("/projects", Map.of("name", "bundles-a"));
        other.post("/projects", Map.of("name", "bundles-b"));
        byte[] tgz = Bundles.of(Map.of("hello.txt", "secret code"));
        Api.Answer uploaded = owner.postRaw("/bundles?project=bundles-a", "application/gzip", tgz, Map.of());
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        String sha = uploaded.json().get("sha256").asText();
        assertThat(owner.get("/artifacts/" + sha).status()).isEqualTo(200);
        assertThat(other.get("/artifacts/" + sha).status()).isEqualTo(404);
        Api.Answer stolen = other.post("/runs", Map.of("project", "bundles-b", "spec", SPEC, "bundle", sha));
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.json().get("message").asText()).contains("no bundle");
    }

    @Test
    void aWorkerTokenServesOnlyItsPoolsAndAPoolOnlyItsProjects() {
        Api.Answer issued = admin.post("/tokens", Map.of("kind", "worker", "name", "gpu-box", "pools", List.of("gpu")));
        assertThat(issued.status()).as(issued.text()).isEqualTo(201);
        Api worker = admin.withToken(issued.json().get("token").asText());
        Map<String, Object> asCpu = Map.of("pools", List.of("cpu"), "cpus", 2, "memoryBytes", 1L << 30, "slots", 2);
        Api.Answer refused = worker.send("PUT", "/workers/gpu-box", asCpu);
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(refused.json().get("message").asText()).contains("cpu");
        Map<String, Object> asGpu = Map.of("pools", List.of("gpu"), "cpus", 2, "memoryBytes", 1L << 30, "slots", 2);
        assertThat(worker.send("PUT", "/workers/gpu-box", asGpu).status()).isEqualTo(200);

        admin.project("gpu-team");
        Api.Answer limited = admin.send("PUT", "/pools/gpu", Map.of("projects", List.of("gpu-team")));
        assertThat(limited.status()).as(limited.text()).isEqualTo(200);
        assertThat(limited.json().get("projects").toString()).isEqualTo("[\"gpu-team\"]");
        String gpuSpec = "name: g\nsteps:\n  - name: a\n    pool: gpu\n    command: [\"true\"]\n";
        Api.Answer elsewhere = admin.post("/runs", Map.of("project", "default", "spec", gpuSpec));
        assertThat(elsewhere.status()).as(elsewhere.text()).isEqualTo(400);
        assertThat(elsewhere.json().get("error").asText()).isEqualTo("unplaceable");
        assertThat(admin.post("/runs", Map.of("project", "gpu-team", "spec", gpuSpec))
                        .status())
                .isEqualTo(201);
        assertThat(admin.user("not-admin")
                        .send("PUT", "/pools/gpu", Map.of("projects", List.of()))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void anAdminsTokenMayAskToBeAnOrdinaryOne() {
        Api.Answer everyday = admin.post("/tokens", Map.of("name", "everyday", "admin", false));
        assertThat(everyday.status()).as(everyday.text()).isEqualTo(201);
        assertThat(everyday.json().get("admin").asBoolean()).isFalse();
        Api plain = admin.withToken(everyday.json().get("token").asText());
        assertThat(plain.post("/users", Map.of("name", "someone-else")).status())
                .isEqualTo(403);
        assertThat(admin.post("/tokens", Map.of("name", "full"))
                        .json()
                        .get("admin")
                        .asBoolean())
                .isTrue();
        assertThat(admin.user("not-an-admin")
                        .post("/tokens", Map.of("name", "x", "admin", true))
                        .status())
                .isEqualTo(403);
        assertThat(admin.post("/projects", Map.of("name", "9lives")).status())
                .as("a new project's name starts with a letter")
                .isEqualTo(400);
    }

    /**
     * A client of its own for a request the server may refuse without reading its body: it may then close the
     * connection, and the next request on it would fail.
     */
    private static Api fresh(Api api) {
        return api.withToken(api.token());
    }
}
