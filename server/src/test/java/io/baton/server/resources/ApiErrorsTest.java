package io.baton.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.InProcessServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad requests get a 4xx in the error shape ({@code error}, {@code message}) that says what is wrong, and leave nothing
 * behind: the fast tier, on the real application in this JVM ({@link InProcessServer}).
 */
class ApiErrorsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private static Api api;

    @BeforeAll
    static void admin() {
        api = server.admin();
    }

    @Test
    void aMissingOrUnknownTokenGets401SayingWhichAndHowToAuthenticate() {
        Api.Answer anonymous = server.anonymous().get("/runs");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"baton\"");
        assertThat(anonymous.json().get("message").asText()).contains("Authorization: Bearer");
        Api.Answer unknown = api.withToken("bt_not-a-real-token").get("/runs");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(unknown.json().get("message").asText()).contains("unknown, revoked or expired");
        Api.Answer notBearer = api.withToken(null)
                .postRaw("/runs", "application/json", "{}".getBytes(), Map.of("Authorization", "Basic " + api.token()));
        assertThat(notBearer.status()).isEqualTo(401);
        assertThat(server.anonymous().send("OPTIONS", "/runs", null).status())
                .as("the OPTIONS answer Jersey adds to a route")
                .isEqualTo(401);
        assertThat(api.send("OPTIONS", "/runs", null).status()).isEqualTo(200);
        assertThat(server.anonymous().get("/runs?access_token=" + api.token()).status())
                .as("a token in the query string is not read")
                .isEqualTo(401);
    }

    @Test
    void adminRoutesRefuseOtherTokensWith403() {
        Api user = api.user("plain-user");
        // each request on a client of its own: the server may close a connection whose body it refused unread
        for (Api.Answer a : List.of(
                api.user("plain-user").post("/tokens", Map.of("kind", "worker", "name", "escalate")),
                api.user("plain-user").post("/tokens", Map.of("name", "escalate", "admin", true)),
                api.user("plain-user").post("/tokens", Map.of("name", "other", "user", "admin")),
                api.user("plain-user").post("/users", Map.of("name", "mallory")),
                api.user("plain-user").post("/teams", Map.of("name", "mallory")))) {
            assertThat(a.status()).as(a.text()).isEqualTo(403);
            assertThat(a.json().get("error").asText()).isEqualTo("forbidden");
        }
        assertThat(user.get("/runs").status()).isEqualTo(200);
    }

    @Test
    void aUserSeesAndRevokesOnlyTheirOwnTokens() {
        Api user = api.user("token-owner");
        Api.Answer own = user.post("/tokens", Map.of("name", "laptop"));
        assertThat(own.status()).as(own.text()).isEqualTo(201);
        assertThat(own.json().get("user").asText()).isEqualTo("token-owner");
        Api.Answer listed = user.get("/tokens");
        assertThat(listed.json().get("items"))
                .allSatisfy(t -> assertThat(t.get("user").asText()).isEqualTo("token-owner"));
        assertThat(listed.text()).contains("laptop").doesNotContain("bootstrap");
        String adminTokenId = api.get("/tokens").json().get("items").findValuesAsText("id").stream()
                .filter(id -> !listed.text().contains(id))
                .findFirst()
                .orElseThrow();
        assertThat(user.send("DELETE", "/tokens/" + adminTokenId, null).status())
                .as("someone else's token is as unknown as a missing one")
                .isEqualTo(404);
        Api laptop = user.withToken(own.json().get("token").asText());
        assertThat(laptop.get("/me").json().get("user").get("name").asText()).isEqualTo("token-owner");
        assertThat(user.send("DELETE", "/tokens/" + own.json().get("id").asText(), null)
                        .status())
                .isEqualTo(204);
        assertThat(laptop.get("/me").status()).isEqualTo(401);
    }

    @Test
    void healthIsPublicAndReadsTheRegisteredHealthChecks() throws Exception {
        Api.Answer health = server.anonymous().get("/health");
        assertThat(health.status()).as(health.text()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("database").asText()).isEqualTo("ok");
        assertThat(health.json().get("temporal").asText()).isEqualTo("ok");
        HttpResponse<String> admin = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/healthcheck"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("\"database\"").contains("\"temporal\"");
    }

    @Test
    void theCodecRoutesPreflightNeedsNoTokenButItsCallsDo() {
        Api.Answer preflight = server.anonymous().send("OPTIONS", "/temporal/codec/decode", null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:8233");
        assertThat(server.anonymous()
                        .post("/temporal/codec/decode", Map.of("payloads", List.of()))
                        .status())
                .isEqualTo(401);
        assertThat(api.post("/temporal/codec/decode", Map.of("payloads", List.of()))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void missingFieldsAreRefusedByName() {
        Api.Answer noName = api.post("/tokens", Map.of("kind", "user"));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("message").asText()).contains("'name'");
        Api.Answer noSpec = api.post("/runs", Map.of());
        assertThat(noSpec.status()).isEqualTo(400);
        assertThat(noSpec.json().get("message").asText()).contains("spec");
        Api.Answer wrongType = api.post("/tokens", Map.of("kind", "user", "name", "n", "admin", List.of()));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("error").asText()).isEqualTo("bad_json");
        assertThat(wrongType.json().get("message").asText()).contains("admin");
    }

    @Test
    void badLimitsCursorsAndNumbersAreRefused() {
        for (String path : List.of(
                "/runs?limit=abc",
                "/runs?cursor=not-a-cursor",
                "/models?limit=abc",
                "/runs/x/steps/a/attempts/one/logs")) {
            Api.Answer a = path.contains("attempts")
                    ? api.withToken(api.token()).post(path, Map.of("seq", 0, "text", "")) // body refused unread
                    : api.get(path);
            assertThat(a.status()).as(path + ": " + a.text()).isBetween(400, 404);
            assertThat(a.json().get("error").asText()).as(path).isNotBlank();
            assertThat(a.json().get("message").asText()).as(path).isNotBlank();
        }
        Api.Answer limit = api.get("/runs?limit=abc");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("message").asText()).contains("'limit'").contains("whole number");
    }

    @Test
    void wrongMethodsAndContentTypesAnswerInTheErrorShape() {
        Api.Answer method = api.send("DELETE", "/runs", null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("error").asText()).isEqualTo("method_not_allowed");
        Api.Answer type = api.withToken(api.token()) // a client of its own: the body is refused unread
                .postRaw("/runs", "text/plain", "name: x".getBytes(), Map.of());
        assertThat(type.status()).isEqualTo(415);
        assertThat(type.json().get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void everyRouteButHealthNeedsAValidToken() {
        Api anonymous = server.anonymous();
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        for (String path : List.of(
                "/runs",
                "/runs/x",
                "/workers",
                "/tokens",
                "/artifacts/" + "0".repeat(64),
                "/runs/x/steps/y/logs",
                "/runs/x/metrics")) {
            Api.Answer a = anonymous.get(path);
            assertThat(a.status()).as(path).isEqualTo(401);
            assertThat(a.json().get("error").asText()).isEqualTo("unauthorized");
            assertThat(api.withToken("bt_not-a-real-token").get(path).status())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(anonymous.post("/runs", Map.of("spec", "name: x")).status()).isEqualTo(401);
        // a client of its own: the server may close a connection whose body it did not read (the 401 just above)
        assertThat(server.anonymous()
                        .postRaw("/bundles", "application/gzip", new byte[] {1}, Map.of())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void workerTokensCanOnlyDoWhatAWorkerDoes() {
        Api.Answer token = api.post("/tokens", Map.of("kind", "worker", "name", "limited"));
        assertThat(token.status()).isEqualTo(201);
        String worker = token.json().get("token").asText();
        // each request on a client of its own: the server may close a connection whose body it refused unread
        assertThat(api.withToken(worker)
                        .post("/runs", Map.of("spec", "name: x"))
                        .status())
                .isEqualTo(403);
        assertThat(api.withToken(worker).get("/runs").status()).isEqualTo(403);
        assertThat(api.withToken(worker)
                        .post("/tokens", Map.of("kind", "user", "name", "escalate"))
                        .status())
                .isEqualTo(403);
        Api.Answer listed = api.get("/tokens");
        assertThat(listed.text()).doesNotContain(token.json().get("token").asText());
    }

    @Test
    void specThatIsNotYamlIsRefusedWithWhereItBreaks() {
        JsonNode error = refusedRun(Map.of("spec", "name: x\nsteps: [\n  - {name: a\n"), 400);
        assertThat(error.get("error").asText()).isEqualTo("invalid_spec");
        assertThat(error.get("message").asText()).contains("YAML");
        assertThat(error.get("details").get(0).get("line").asInt()).isGreaterThan(1);
    }

    @Test
    void specWithoutStepsIsRefused() {
        JsonNode error = refusedRun(Map.of("spec", "name: empty\nsteps: []\n"), 400);
        assertThat(error.get("details").toString()).contains("no steps");
    }

    @Test
    void duplicateStepNamesAreRefusedWithTheirLine() {
        JsonNode error = refusedRun(Map.of("spec", """
        name: dup
        steps:
          - name: a
            command: ["true"]
          - name: a
            command: ["true"]
        """), 400);
        JsonNode detail = error.get("details").get(0);
        assertThat(detail.get("path").asText()).isEqualTo("steps[1].name");
        assertThat(detail.get("line").asInt()).isEqualTo(5);
        assertThat(detail.get("message").asText()).contains("duplicate");
    }

    @Test
    void needsNamingAnUnknownStepIsRefused() {
        JsonNode error = refusedRun(Map.of("spec", """
        name: unknown-need
        steps:
          - name: a
            needs: [ghost]
            command: ["true"]
        """), 400);
        JsonNode detail = error.get("details").get(0);
        assertThat(detail.get("path").asText()).isEqualTo("steps[0].needs[0]");
        assertThat(detail.get("line").asInt()).isEqualTo(4);
        assertThat(detail.get("message").asText()).contains("ghost");
    }

    @Test
    void everyProblemOfASpecIsReportedAtOnceWithItsPlace() {
        String spec = """
        name: many-problems
        colour: red
        steps:
          - name: a
            needs: [b]
            command: ["true"]
            timeout: soon
          - name: b
            needs: [a]
            inputs: {x: a/missing.txt}
            outputs: [/abs/path]
            command: ["true", "{parameters.nope}"]
        """;
        JsonNode error = refusedRun(Map.of("spec", spec), 400);
        JsonNode details = error.get("details");
        assertThat(details.findValuesAsText("path")).contains("colour", "steps[0].timeout", "steps[1].outputs[0]");
        assertThat(details.toString()).contains("cycle").contains("nope").contains("missing.txt");
        details.forEach(d -> assertThat(d.get("line").asInt()).as(d.toString()).isPositive());

        Api.Answer validated = api.post("/pipelines/validate", Map.of("spec", spec));
        assertThat(validated.status()).isEqualTo(200);
        assertThat(validated.json().get("valid").asBoolean()).isFalse();
        assertThat(validated.json().get("details")).hasSameSizeAs(details);
        Api.Answer valid = api.post(
                "/pipelines/validate", Map.of("spec", "name: ok\nsteps:\n  - name: a\n    command: [\"true\"]\n"));
        assertThat(valid.json().get("valid").asBoolean()).isTrue();
        assertThat(valid.json().get("details")).isEmpty();
        assertThat(api.post("/pipelines", Map.of("spec", spec)).status()).isEqualTo(400);
        assertThat(api.get("/pipelines/many-problems/versions").status()).isEqualTo(404);
    }

    @Test
    void actionsOnRunsThatDoNotFitTheirStateAreConflicts() {
        assertThat(api.post("/runs/no-such-run/resume", Map.of()).status()).isEqualTo(404);
        assertThat(api.post("/runs/no-such-run/steps/a/approve", Map.of()).status())
                .isEqualTo(404);
        Api.Answer unknownInput = api.post(
                "/runs",
                Map.of(
                        "spec",
                        "name: blob-input\nsteps:\n  - name: a\n" + "    inputs: {x: \"sha256:" + "a".repeat(64)
                                + "\"}\n    command: [\"true\"]\n"));
        assertThat(unknownInput.status()).isEqualTo(400);
        assertThat(unknownInput.json().get("message").asText()).contains("does not have");
    }

    @Test
    void badParametersPriorityProjectAndBundleAreRefused() {
        String spec = "name: p\nparameters:\n  - {name: depth, type: integer, min: 1, max: 5}\nsteps:\n  - name: a\n"
                + "    command: [\"true\"]\n";
        JsonNode error = refusedRun(Map.of("spec", spec, "parameters", Map.of("depth", 9)), 400);
        assertThat(error.get("details").get(0).get("path").asText()).isEqualTo("parameters.depth");
        refusedRun(Map.of("spec", spec, "parameters", Map.of("depth", 2, "other", 1)), 400);
        refusedRun(Map.of("spec", spec), 400); // depth has no default
        assertThat(refusedRun(Map.of("spec", spec, "parameters", Map.of("depth", 2), "priority", 9), 400)
                        .get("message")
                        .asText())
                .contains("priority");
        assertThat(refusedRun(Map.of("spec", spec, "parameters", Map.of("depth", 2), "project", "../etc"), 400)
                        .get("message")
                        .asText())
                .contains("project");
        assertThat(refusedRun(Map.of("spec", spec, "parameters", Map.of("depth", 2), "bundle", "f".repeat(64)), 400)
                        .get("message")
                        .asText())
                .contains("no bundle");
    }

    @Test
    void malformedJsonAndUnknownFieldsAreRefused() {
        Api.Answer a = api.postRaw("/runs", "application/json", "{\"spec\": ".getBytes(), Map.of());
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).isEqualTo("bad_json");
        Api.Answer b = api.post("/runs", Map.of("spec", "name: x", "colour", "red"));
        assertThat(b.status()).isEqualTo(400);
        assertThat(b.json().get("message").asText()).contains("colour");
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWith413() {
        int before = runCount();
        String huge = "name: big\nsteps:\n  - name: a\n    command: [\"true\"]\n# " + "x".repeat(1 << 20) + "\n";
        Api.Answer a = refusedAnswer(() -> api.post("/runs", Map.of("spec", huge)));
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().get("error").asText()).isEqualTo("too_large");
        assertThat(runCount()).isEqualTo(before);
    }

    @Test
    void bundlesOverTheLimitAreRefusedWith413AndNotKept() throws Exception {
        byte[] random = new byte[(1 << 20) + 1024];
        new Random(7).nextBytes(random);
        byte[] bundle = Bundles.of(Map.of("noise.txt", HexFormat.of().formatHex(random)));
        assertThat(bundle.length).isGreaterThan(1 << 20);
        assertThat(refusedAnswer(() -> api.postRaw("/bundles", "application/gzip", bundle, Map.of()))
                        .status())
                .isEqualTo(413);
        assertNothingKept(bundle);
    }

    @Test
    void unsafeBundlesAreRefusedAndNothingIsKept() throws Exception {
        TarArchiveEntry absolute = new TarArchiveEntry("/etc/evil", true);
        TarArchiveEntry dotdot = new TarArchiveEntry("../evil.txt", true);
        TarArchiveEntry escapingLink = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
        escapingLink.setLinkName("../../../etc/passwd");
        TarArchiveEntry device = new TarArchiveEntry("dev0", TarConstants.LF_CHR);
        for (TarArchiveEntry entry : List.of(absolute, dotdot, escapingLink, device)) {
            byte[] tgz = Bundles.withEntry(entry, entry.isFile() ? "evil" : null);
            Api.Answer a = api.postRaw("/bundles", "application/gzip", tgz, Map.of());
            assertThat(a.status()).as(entry.getName() + ": " + a.text()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).isEqualTo("unsafe_bundle");
            assertThat(a.json().get("message").asText()).isNotBlank();
            assertNothingKept(tgz);
        }
        Api.Answer notGzip = api.postRaw("/bundles", "application/gzip", "plain text".getBytes(), Map.of());
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(notGzip.json().get("message").asText()).contains("gzip");
    }

    @Test
    void runFiltersThatCannotBeAppliedAreRefusedNotIgnored() {
        for (String query : List.of(
                "?metric=accuracy:gt:high",
                "?param=lr:about:0.1",
                "?sort=metric.",
                "?sort=name",
                "?status=DONE",
                "?limit=0",
                "?since=yesterday")) {
            Api.Answer a = api.get("/runs" + query);
            assertThat(a.status()).as(query).isEqualTo(400);
            assertThat(a.json().get("message").asText()).as(query).isNotBlank();
        }
        assertThat(api.get("/runs?sort=createdAt:desc&limit=1").status()).isEqualTo(200);
    }

    @Test
    void unknownRunsAreNotFoundInTheErrorShape() {
        Api.Answer a = api.get("/runs/no-such-run");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").asText()).isEqualTo("not_found");
        assertThat(a.json().get("message").asText()).contains("no-such-run");
        assertThat(api.get("/no/such/route").status()).isEqualTo(404);
    }

    private JsonNode refusedRun(Map<String, Object> body, int status) {
        int before = runCount();
        Api.Answer a = api.post("/runs", body);
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(a.json().get("message").asText()).isNotBlank();
        assertThat(a.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(runCount()).isEqualTo(before);
        return a.json();
    }

    private int runCount() {
        return api.get("/runs?limit=500").json().get("items").size();
    }

    private void assertNothingKept(byte[] body) throws Exception {
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(api.get("/artifacts/" + sha).status()).isEqualTo(404);
        Path blobs = server.dataDir().resolve("blobs");
        try (Stream<Path> files = Files.walk(blobs)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .doesNotContain(sha)
                    .noneMatch(name -> name.startsWith("upload-"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The answer to an upload the server refuses from its headers. It answers 413 and closes the connection without
     * reading the body; a client still sending it may see the connection closed before it reads the answer (HTTP/1.1
     * has no way around that race), so the upload is tried again, a bounded number of times.
     */
    private static Api.Answer refusedAnswer(Supplier<Api.Answer> upload) {
        UncheckedIOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return upload.get();
            } catch (UncheckedIOException closedFirst) {
                last = closedFirst;
            }
        }
        throw last;
    }

    private static String token(String kind, String name) {
        Api.Answer token = api.post("/tokens", Map.of("kind", kind, "name", name));
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        return token.json().get("token").asText();
    }
}
