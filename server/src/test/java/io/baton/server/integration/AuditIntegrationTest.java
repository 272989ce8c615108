package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit log over the real server: changes (refused ones and failed sign-ins included) are recorded with who,
 * the route, the object, the project, the address and the outcome; reads and secrets are not; who may read it.
 */
@ExtendWith(ClusterExtension.class)
class AuditIntegrationTest {
    private static TestCluster cluster; // set by ClusterExtension
    private static Api api;

    @Test
    void changesAreRecordedWithWhoWhatWhereAndTheOutcome() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String project = "audit" + id;
        String owner = "auditowner" + id;
        String viewer = "auditviewer" + id;
        String stranger = "auditstranger" + id;
        String signer = "auditsigner" + id;
        String password = "audit-password-" + id + "-long-enough";
        String admin = api.get("/me").json().get("user").get("name").asText();

        api.project(project);
        Api bob = api.user(owner);
        api.grant(project, owner, "admin");
        Api alice = api.user(viewer);
        api.grant(project, viewer, "viewer");
        Api carol = api.user(stranger);
        assertThat(alice.send("PUT", "/projects/" + project + "/members/" + stranger, Map.of("role", "viewer"))
                        .status())
                .isEqualTo(403);
        assertThat(api.post("/users", Map.of("name", signer, "password", password))
                        .status())
                .isEqualTo(201);
        Api anonymous = cluster.anonymous();
        assertThat(anonymous
                        .post("/login", Map.of("name", signer, "password", "wrong-" + password))
                        .status())
                .isEqualTo(401);
        assertThat(anonymous
                        .post("/login", Map.of("name", signer, "password", password))
                        .status())
                .isEqualTo(200);
        api.get("/projects/" + project); // a read: not recorded

        // the writer appends after the answer: wait for the last change of the project to be in
        List<JsonNode> entries =
                Wait.until("the viewer's refused change in the audit log", Duration.ofSeconds(30), () -> {
                    List<JsonNode> items = items(api.get("/audit?project=" + project));
                    return items.stream().anyMatch(e -> e.get("status").asInt() == 403) ? items : null;
                });
        assertThat(entries).allSatisfy(e -> assertThat(e.get("action").asText()).doesNotStartWith("GET "));
        assertThat(entries).extracting(e -> e.get("seq").asLong()).isSortedAccordingTo((a, b) -> Long.compare(b, a));

        JsonNode created = only(entries, "POST /api/v1/projects", admin);
        assertThat(created.get("status").asInt()).isEqualTo(201);
        assertThat(created.get("tokenKind").asText()).isEqualTo("user");
        assertThat(created.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(created.get("hash").asText()).hasSize(64);

        List<JsonNode> grants = entries.stream()
                .filter(e -> e.get("action").asText().equals("PUT /api/v1/projects/{project}/members/{member}"))
                .toList();
        assertThat(grants).hasSize(3);
        JsonNode refused = only(grants, "PUT /api/v1/projects/{project}/members/{member}", viewer);
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(refused.get("detail").asText()).isEqualTo("forbidden");
        assertThat(refused.get("objectType").asText()).isEqualTo("project");
        assertThat(refused.get("objectId").asText()).isEqualTo(project + "/" + stranger);
        assertThat(refused.get("project").asText()).isEqualTo(project);
        assertThat(refused.get("userId").asText()).isNotEmpty();

        // sign-ins, failed and not, name who tried; never the password
        String login = URLEncoder.encode("POST /api/v1/login", StandardCharsets.UTF_8);
        Api.Answer signIns = Wait.until("both sign-ins in the audit log", Duration.ofSeconds(30), () -> {
            Api.Answer a = api.get("/audit?user=" + signer + "&action=" + login);
            return items(a).size() == 2 ? a : null;
        });
        assertThat(items(signIns)).extracting(e -> e.get("status").asInt()).containsExactly(200, 401);
        assertThat(items(signIns)).allSatisfy(e -> {
            assertThat(e.get("tokenKind").isNull()).isTrue();
            assertThat(e.get("address").asText()).isEqualTo("127.0.0.1");
        });
        assertThat(api.get("/audit?limit=500").text()).doesNotContain(password);

        // worker traffic: a registration is recorded (the in-process worker's, at the server's start), heartbeats
        // are not
        String register = URLEncoder.encode("PUT /api/v1/workers/{name}", StandardCharsets.UTF_8);
        assertThat(items(api.get("/audit?action=" + register))).isNotEmpty();
        String heartbeat = URLEncoder.encode("POST /api/v1/workers/{name}/heartbeat", StandardCharsets.UTF_8);
        assertThat(items(api.get("/audit?action=" + heartbeat))).isEmpty();

        // who may read it: global admins, and a project's admins for their project
        assertThat(bob.get("/audit?project=" + project).status()).isEqualTo(200);
        assertThat(items(bob.get("/audit?project=" + project))).hasSameSizeAs(entries);
        assertThat(bob.get("/audit").status()).isEqualTo(403);
        assertThat(alice.get("/audit?project=" + project).status()).isEqualTo(403);
        assertThat(carol.get("/audit?project=" + project).status()).isEqualTo(404);
        assertThat(bob.get("/audit/verify").status()).isEqualTo(403);
        assertThat(anonymous.get("/audit").status()).isEqualTo(401);

        // pages newest first by cursor
        Api.Answer first = api.get("/audit?project=" + project + "&limit=2");
        assertThat(items(first)).hasSize(2);
        Api.Answer second = api.get("/audit?project=" + project + "&limit=2&cursor="
                + first.json().get("nextCursor").asText());
        assertThat(items(second).get(0).get("seq").asLong())
                .isLessThan(items(first).get(1).get("seq").asLong());
        assertThat(api.get("/audit?cursor=forged").status()).isEqualTo(400);
        assertThat(api.get("/audit?since=yesterday").status()).isEqualTo(400);

        JsonNode verify = api.get("/audit/verify").json();
        assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.get("entries").asLong()).isGreaterThanOrEqualTo(entries.size());
        assertThat(verify.get("firstBroken").isNull()).isTrue();
    }

    private static JsonNode only(List<JsonNode> entries, String action, String user) {
        List<JsonNode> found = entries.stream()
                .filter(e -> e.get("action").asText().equals(action)
                        && user.equals(e.get("user").asText()))
                .toList();
        assertThat(found).as(action + " by " + user).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> items(Api.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        answer.json().get("items").forEach(items::add);
        return items;
    }
}
