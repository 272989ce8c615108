package io.baton.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.InProcessServer;
import io.baton.server.testing.OidcProvider;
import io.baton.server.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OIDC sign-in end to end against a real OpenID provider (the npm package oidc-provider, a child process): Baton's
 * redirect, the provider's own login and consent forms submitted by plain HTTP, the callback, and the session token.
 */
class OidcSignInTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final OidcProvider provider = new OidcProvider();

    @RegisterExtension
    @Order(2)
    static final InProcessServer server = new InProcessServer(provider.batonSettings());

    @Test
    void signInCreatesTheUserOnceAndItsGroupsGiveAndTakeTeams() throws Exception {
        Api admin = server.admin();
        // a team made by an admin, with a role in a project: the groups claim puts carol in it
        assertThat(admin.post("/teams", Map.of("name", "vision")).status()).isEqualTo(201);
        admin.project("vision").grant("vision", "vision", "viewer");
        provider.setAccounts(Map.of("sub-carol", account("carol", "ML Engineers", "/vision")));

        HttpResponse<String> first = new Browser().signIn(null, "sub-carol");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode login = JSON.readTree(first.body());
        assertThat(login.get("expiresAt").asText()).isNotEmpty();
        assertThat(login.at("/user/name").asText()).isEqualTo("carol");
        assertThat(login.at("/user/oidc").asBoolean()).isTrue();
        Api carol = admin.withToken(login.get("token").asText());
        JsonNode me = carol.get("/me").json();
        assertThat(me.at("/user/name").asText()).isEqualTo("carol");
        assertThat(texts(me.get("teams"))).containsExactly("everyone", "ml-engineers", "vision");
        assertThat(carol.get("/projects/vision").status()).isEqualTo(200);
        JsonNode signedIn = Wait.until("the sign-in's audit entry", Duration.ofSeconds(10), () -> {
            for (JsonNode e : admin.get("/audit?user=carol").json().get("items")) {
                if (e.get("action").asText().equals("GET /api/v1/login/oidc/callback")) {
                    return e;
                }
            }
            return null;
        });
        assertThat(signedIn.get("status").asInt()).isEqualTo(200);

        // an admin puts carol in another team by hand; the provider no longer lists /vision
        assertThat(admin.post("/teams", Map.of("name", "ops")).status()).isEqualTo(201);
        assertThat(admin.send("PUT", "/teams/ops/members/carol", null).status()).isEqualTo(200);
        provider.setAccounts(Map.of("sub-carol", account("carol", "ML Engineers")));

        HttpResponse<String> second = new Browser().signIn(null, "sub-carol");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode again = JSON.readTree(second.body());
        assertThat(again.at("/user/id").asText()).isEqualTo(login.at("/user/id").asText());
        Api carolAgain = admin.withToken(again.get("token").asText());
        assertThat(texts(carolAgain.get("/me").json().get("teams"))).containsExactly("everyone", "ml-engineers", "ops");
        assertThat(carolAgain.get("/projects/vision").status()).isEqualTo(404);
        assertThat(texts(admin.get("/users?limit=100").json().get("items")))
                .filteredOn(n -> n.startsWith("carol"))
                .containsExactly("carol");
    }

    @Test
    void withRedirectTheTabThatStartedTheSignInGetsTheTokenAndGoesToThePath() throws Exception {
        provider.setAccounts(Map.of("sub-dave", account("dave")));
        Browser browser = new Browser();
        HttpResponse<String> page = browser.signIn("/runs?state=all", "sub-dave");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .startsWith("default-src 'none'; script-src 'sha256-");
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();

        // the page's own script, run by Node in the tab's sessionStorage
        Tab.Run run = browser.tab.run(page.body());
        assertThat(run.went()).isEqualTo("/runs?state=all");
        assertThat(browser.tab.storage).doesNotContainKey("baton.oidc.state");
        String token = browser.tab.storage.get("baton.token");
        assertThat(token).startsWith("bt_");
        assertThat(server.anonymous()
                        .withToken(token)
                        .get("/me")
                        .json()
                        .at("/user/name")
                        .asText())
                .isEqualTo("dave");
    }

    @Test
    void aCallbackLinkMadeByAnotherBrowserGivesThisTabNoToken() throws Exception {
        provider.setAccounts(Map.of("sub-mallory", account("mallory")));
        Browser attacker = new Browser();
        URI crafted = attacker.toCallback(attacker.start("/runs"), "sub-mallory");

        Browser victim = new Browser();
        HttpResponse<String> page = victim.get(crafted);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Tab.Run run = victim.tab.run(page.body());
        assertThat(run.went()).isNull();
        assertThat(victim.tab.storage).doesNotContainKey("baton.token");
        assertThat(run.text()).contains("not started in this tab");
    }

    @Test
    void aNameTakenByAUserOrATeamGetsASuffix() throws Exception {
        Api admin = server.admin();
        admin.user("gina");
        assertThat(admin.post("/teams", Map.of("name", "hal")).status()).isEqualTo(201);
        provider.setAccounts(Map.of("sub-gina", account("gina"), "sub-hal", account("hal")));
        HttpResponse<String> gina = new Browser().signIn(null, "sub-gina");
        assertThat(JSON.readTree(gina.body()).at("/user/name").asText())
                .as(gina.body())
                .isEqualTo("gina-2");
        HttpResponse<String> hal = new Browser().signIn(null, "sub-hal");
        assertThat(JSON.readTree(hal.body()).at("/user/name").asText())
                .as(hal.body())
                .isEqualTo("hal-2");
    }

    @Test
    void aRedirectOutsideThisServerIsRefused() {
        for (String redirect :
                List.of("https://evil.example/", "//evil.example/x", "/\\evil.example", "runs", "/a\tb")) {
            Api.Answer answer = server.anonymous().get("/login/oidc?redirect=" + encode(redirect));
            assertThat(answer.status()).as(redirect).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void aTamperedStateAReplayedCodeAndAnIssuerErrorAreRefused() throws Exception {
        provider.setAccounts(Map.of("sub-erin", account("erin")));
        Browser browser = new Browser();
        URI callback = browser.toCallback(browser.start(null), "sub-erin");
        Map<String, String> query = query(callback);

        HttpResponse<String> tampered = browser.get(withParameter(callback, "state", query.get("state") + "x"));
        assertRefused(tampered, 400, "state");
        HttpResponse<String> noState = browser.get(withParameter(callback, "state", ""));
        assertRefused(noState, 400, "state");

        // the real callback still works once (a tampered state used nothing up), and only once
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
        assertRefused(browser.get(callback), 400, "state");

        // the used code with a new sign-in's state: the provider refuses it (used, and another PKCE verifier)
        URI fresh = browser.start(null);
        String freshState = query(fresh).get("state");
        URI replay = withParameter(callback, "state", freshState);
        assertRefused(browser.get(replay), 401, "refused the code");

        // the issuer answering an error instead of a code
        URI another = browser.start(null);
        URI denied = URI.create(provider.redirectUri() + "?error=access_denied&error_description=no&state="
                + encode(query(another).get("state")));
        assertRefused(browser.get(denied), 401, "access_denied");
    }

    @Test
    void anIdTokenWithAnotherNonceIsRefused() throws Exception {
        provider.setAccounts(Map.of("sub-frank", account("frank")));
        Browser browser = new Browser();
        URI authorization = browser.start(null);
        URI otherNonce = withParameter(authorization, "nonce", "not-the-nonce-baton-sent-0123456789");
        URI callback = browser.toCallback(otherNonce, "sub-frank");
        assertRefused(browser.get(callback), 401, "nonce");
    }

    @Test
    void theRedirectCarriesStateNonceAndAnS256Challenge() {
        Api.Answer answer = server.anonymous().get("/login/oidc");
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        URI location = URI.create(answer.header("Location"));
        assertThat(location.toString()).startsWith(provider.issuer() + "/");
        Map<String, String> q = query(location);
        assertThat(q)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", OidcProvider.CLIENT_ID)
                .containsEntry("redirect_uri", provider.redirectUri())
                .containsEntry("code_challenge_method", "S256")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(q.get("scope").split(" ")).contains("openid", "groups");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(q.get("nonce")).hasSizeGreaterThanOrEqualTo(32);
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String why) throws IOException {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(answer.body());
        assertThat(error.get("error").asText()).isNotEmpty();
        assertThat(error.get("message").asText()).contains(why);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static Map<String, Object> account(String name, String... groups) {
        return Map.of("preferred_username", name, "email", name + "@example.org", "groups", List.of(groups));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.get("name").asText()));
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                out.put(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static URI withParameter(URI uri, String name, String value) {
        Map<String, String> q = query(uri);
        q.put(name, value);
        String raw = q.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String base = uri.toString();
        int mark = base.indexOf('?');
        return URI.create((mark < 0 ? base : base.substring(0, mark)) + "?" + raw);
    }

    /** A browser's part, in plain HTTP: its own cookies, redirects followed by hand, the provider's forms submitted. */
    private static final class Browser {
        private static final Pattern FORM =
                Pattern.compile("<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
        private static final Pattern INPUT = Pattern.compile("<input([^>]*)>");
        private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        final Tab tab = new Tab();
        private final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        /** Baton's redirect to the provider (with a redirect: the page that keeps the state in the tab, run). */
        URI start(String redirect) {
            String path = "/api/v1/login/oidc" + (redirect == null ? "" : "?redirect=" + encode(redirect));
            HttpResponse<String> answer = get(URI.create("http://127.0.0.1:" + provider.batonPort() + path));
            if (redirect == null) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
                return URI.create(answer.headers().firstValue("Location").orElseThrow());
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
            String went = tab.run(answer.body()).went();
            assertThat(tab.storage).containsKey("baton.oidc.state");
            return URI.create(went);
        }

        /** The whole sign-in: Baton's redirect, the provider's forms, and Baton's callback's answer. */
        HttpResponse<String> signIn(String redirect, String login) {
            return get(toCallback(start(redirect), login));
        }

        /** From the provider's authorization URL through its login and consent forms, up to Baton's callback URL. */
        URI toCallback(URI authorization, String login) {
            URI at = authorization;
            HttpResponse<String> answer = get(at);
            for (int step = 0; step < 20; step++) {
                if (answer.statusCode() / 100 == 3) {
                    at = at.resolve(answer.headers().firstValue("Location").orElseThrow());
                    if (at.toString().startsWith(provider.redirectUri())) {
                        return at;
                    }
                    answer = get(at);
                } else if (answer.statusCode() == 200
                        && FORM.matcher(answer.body()).find()) {
                    Matcher form = FORM.matcher(answer.body());
                    form.find();
                    Map<String, String> fields = new LinkedHashMap<>();
                    Matcher input = INPUT.matcher(form.group(2));
                    while (input.find()) {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        Matcher a = ATTRIBUTE.matcher(input.group(1));
                        while (a.find()) {
                            attributes.put(a.group(1), a.group(2));
                        }
                        String name = attributes.get("name");
                        if (name != null) {
                            fields.put(name, attributes.getOrDefault("value", ""));
                        }
                    }
                    if (fields.containsKey("login")) {
                        fields.put("login", login);
                        fields.put("password", "any password");
                    }
                    at = at.resolve(form.group(1).replace("&amp;", "&"));
                    answer = post(at, fields);
                } else {
                    throw new AssertionError("the provider answered " + answer.statusCode() + " at " + at + ": "
                            + answer.body() + "\n" + provider.logTail());
                }
            }
            throw new AssertionError("no callback after 20 steps at the provider; last at " + at);
        }

        HttpResponse<String> get(URI uri) {
            return send(HttpRequest.newBuilder(uri).GET());
        }

        private HttpResponse<String> post(URI uri, Map<String, String> form) {
            String body = form.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A browser tab's sessionStorage, and Baton's pages' scripts run in it by Node (with a location and a body). */
    private static final class Tab {
        private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
        private static final String RUNNER = String.join(
                "\n",
                "const [script, stored] = process.argv.slice(1);",
                "const store = new Map(Object.entries(JSON.parse(stored)));",
                "let went = null;",
                "globalThis.sessionStorage = { getItem: (k) => (store.has(k) ? store.get(k) : null),",
                "  setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k) };",
                "globalThis.location = { replace: (u) => { went = u; } };",
                "globalThis.document = { body: { textContent: '' } };",
                "new Function(script)();",
                "console.log(JSON.stringify({ storage: Object.fromEntries(store), went,",
                "  text: document.body.textContent }));");
        final Map<String, String> storage = new LinkedHashMap<>();

        record Run(String went, String text) {}

        Run run(String html) {
            try {
                return runScript(html);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private Run runScript(String html) throws IOException, InterruptedException {
            Matcher script = SCRIPT.matcher(html);
            assertThat(script.find()).as(html).isTrue();
            Process node = new ProcessBuilder("node", "-e", RUNNER, script.group(1), JSON.writeValueAsString(storage))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor()).as(out).isZero();
            JsonNode result = JSON.readTree(out);
            storage.clear();
            result.get("storage")
                    .fields()
                    .forEachRemaining(e -> storage.put(e.getKey(), e.getValue().asText()));
            return new Run(
                    result.get("went").isNull() ? null : result.get("went").asText(),
                    result.get("text").asText());
        }
    }
}
