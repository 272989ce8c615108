package io.baton.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secrets routes: only a project's admins set, list (names only) and remove its secrets; others learn nothing
 * (404) or are told what they lack (403); bad names and values get a 4xx and write nothing; no answer holds a value.
 */
class SecretsApiTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private static final String VALUE = "s3cr3t-Value-7f1c";
    private static Api admin;
    private static Api alice; // admin of project vault
    private static Api bob; // no role in vault
    private static Api carol; // viewer of vault
    private static Api dave; // editor of vault

    @BeforeAll
    static void users() {
        admin = server.admin();
        alice = admin.user("alice");
        bob = admin.user("bob");
        carol = admin.user("carol");
        dave = admin.user("dave");
        alice.project("vault");
        alice.grant("vault", "carol", "viewer").grant("vault", "dave", "editor");
    }

    private static Api.Answer put(Api as, String project, String name, Object body) {
        return as.send("PUT", "/projects/" + project + "/secrets/" + name, body);
    }

    @Test
    void aProjectAdminSetsListsAndRemovesSecretsAndNoAnswerHoldsAValue() {
        alice.project("listed");
        Api.Answer created = put(alice, "listed", "API_TOKEN", Map.of("value", VALUE));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/projects/listed/secrets/API_TOKEN");
        assertThat(created.json().get("name").asText()).isEqualTo("API_TOKEN");
        assertThat(created.json().get("createdBy").asText()).isEqualTo("alice");
        assertThat(created.json().has("value")).isFalse();
        Api.Answer replaced = put(admin, "listed", "API_TOKEN", Map.of("value", VALUE + "-2"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("createdBy").asText()).isEqualTo("alice");
        assertThat(replaced.json().get("updatedBy").asText()).isEqualTo("admin");

        Api.Answer list = alice.get("/projects/listed/secrets");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).hasSize(1);
        assertThat(list.json().get("items").get(0).get("name").asText()).isEqualTo("API_TOKEN");
        for (Api.Answer answer : new Api.Answer[] {created, replaced, list}) {
            assertThat(answer.text()).doesNotContain(VALUE);
        }

        assertThat(alice.send("DELETE", "/projects/listed/secrets/API_TOKEN", null)
                        .status())
                .isEqualTo(204);
        assertThat(alice.get("/projects/listed/secrets").json().get("items")).isEmpty();
        Api.Answer again = alice.send("DELETE", "/projects/listed/secrets/API_TOKEN", null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("message").asText()).contains("no secret 'API_TOKEN'");
    }

    @Test
    void withoutATokenEveryRouteAnswers401() {
        // a client each: the server closes a connection after refusing a request whose body it did not read
        assertThat(server.anonymous().get("/projects/vault/secrets").status()).isEqualTo(401);
        assertThat(put(server.anonymous(), "vault", "X_KEY", Map.of("value", "v"))
                        .status())
                .isEqualTo(401);
        assertThat(server.anonymous()
                        .send("DELETE", "/projects/vault/secrets/X_KEY", null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aUserWithoutARoleLearnsNothingAndViewersAndEditorsAreRefused() {
        put(alice, "vault", "DB_PASSWORD", Map.of("value", VALUE));
        for (Api.Answer answer : new Api.Answer[] {
            bob.get("/projects/vault/secrets"),
            put(bob, "vault", "DB_PASSWORD", Map.of("value", "mine")),
            bob.send("DELETE", "/projects/vault/secrets/DB_PASSWORD", null),
            bob.get("/projects/nowhere/secrets")
        }) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("message").asText()).contains("(or you have no role in it)");
        }
        for (Api viewerOrEditor : new Api[] {carol, dave}) {
            assertThat(viewerOrEditor.get("/projects/vault/secrets").status()).isEqualTo(403);
            Api.Answer putAnswer = put(viewerOrEditor, "vault", "DB_PASSWORD", Map.of("value", "mine"));
            assertThat(putAnswer.status()).isEqualTo(403);
            assertThat(putAnswer.json().get("error").asText()).isEqualTo("forbidden");
            assertThat(viewerOrEditor
                            .send("DELETE", "/projects/vault/secrets/DB_PASSWORD", null)
                            .status())
                    .isEqualTo(403);
        }
        // nothing changed: the value is still alice's
        JsonNode only = alice.get("/projects/vault/secrets").json().get("items");
        assertThat(only.toString())
                .contains("DB_PASSWORD")
                .doesNotContain("carol")
                .doesNotContain("dave");
    }

    @Test
    void badNamesAndValuesGet4xxAndWriteNothing() {
        for (String name : new String[] {"lower", "BATON_TOKEN", "1ST", "A-B", "A".repeat(129), "A%3BB"}) {
            Api.Answer answer = put(alice, "vault", name, Map.of("value", "v"));
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat(answer.json()).as(name + ": " + answer.text()).isNotNull();
            assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
        }
        assertThat(put(alice, "vault", "EMPTY_BODY", null).status()).isEqualTo(400);
        assertThat(put(alice, "vault", "NO_VALUE", Map.of("other", "v")).status())
                .isEqualTo(400);
        assertThat(put(alice, "vault", "EMPTY", Map.of("value", "")).status()).isEqualTo(400);
        assertThat(put(alice, "vault", "BAD_JSON", "{\"value\": ").status()).isEqualTo(400);
        Api.Answer tooBig = put(alice, "vault", "TOO_BIG", Map.of("value", "x".repeat(64 * 1024 + 1)));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("message").asText()).contains("65536 bytes");
        assertThat(put(alice, "vault", "JUST_FITS", Map.of("value", "x".repeat(64 * 1024)))
                        .status())
                .isEqualTo(201);
        assertThat(alice.get("/projects/vault/secrets").text())
                .doesNotContain("EMPTY")
                .doesNotContain("NO_VALUE")
                .doesNotContain("TOO_BIG")
                .contains("JUST_FITS");
    }

    @Test
    void aRunThatDeclaresASecretItsProjectLacksIsRefusedWithWhere() {
        put(alice, "vault", "KNOWN", Map.of("value", VALUE));
        String spec = "name: s\nsteps:\n  - name: use\n    command: [env]\n    secrets: [KNOWN, MISSING]\n";
        Api.Answer refused = alice.post("/runs", Map.of("project", "vault", "spec", spec));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("unknown_secret");
        assertThat(refused.json().get("message").asText()).contains("no secret 'MISSING'");
        assertThat(refused.json().get("details")).hasSize(1);
        assertThat(refused.json().get("details").get(0).get("path").asText()).isEqualTo("steps.use.secrets");
        // the same names in another project: none is known there
        admin.project("other");
        Api.Answer elsewhere = admin.post("/runs", Map.of("project", "other", "spec", spec));
        assertThat(elsewhere.json().get("details")).hasSize(2);

        String known = "name: s\nsteps:\n  - name: use\n    command: [env]\n    secrets: [KNOWN]\n";
        Api.Answer accepted = alice.post("/runs", Map.of("project", "vault", "spec", known));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(201);
        String runId = accepted.json().get("id").asText();
        assertThat(accepted.text()).doesNotContain(VALUE);
        assertThat(alice.get("/runs/" + runId).text()).doesNotContain(VALUE);
        assertThat(alice.get("/runs/" + runId + "/record").text()).doesNotContain(VALUE);
    }
}
