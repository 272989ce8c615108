package io.baton.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.worker.process.PidRegistry;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OpenID provider for a test class: {@code server/src/test/oidc/provider.mjs} on the npm package
 * oidc-provider ({@code ./baton test} installs it into {@code .baton/oidc-provider}), a child process on a free port,
 * with one client whose callback is a Baton server's on {@link #batonPort()}.
 */
public final class OidcProvider implements BeforeAllCallback, AfterAllCallback {
    public static final String CLIENT_ID = "baton";
    public static final String CLIENT_SECRET = "baton-test-secret-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final int batonPort;
    private final Path dir;
    private final Path accounts;
    private ChildProcess process;

    public OidcProvider() {
        try {
            port = TestCluster.freePort();
            batonPort = TestCluster.freePort();
            dir = Files.createTempDirectory("baton-oidc-");
            accounts = dir.resolve("accounts.json");
            setAccounts(Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path modules = repo.resolve(".baton/oidc-provider/node_modules");
        if (!Files.isDirectory(modules.resolve("oidc-provider"))) {
            throw new IllegalStateException(
                    "oidc-provider is not installed in " + modules + ": run the tests with ./baton test");
        }
        // the script beside the installed packages, so that its import of oidc-provider finds them
        Files.copy(repo.resolve("server/src/test/oidc/provider.mjs"), dir.resolve("provider.mjs"));
        Files.writeString(dir.resolve("package.json"), "{\"type\": \"module\"}\n");
        Files.createSymbolicLink(dir.resolve("node_modules"), modules);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PORT", Integer.toString(port));
        env.put("CLIENT_ID", CLIENT_ID);
        env.put("CLIENT_SECRET", CLIENT_SECRET);
        env.put("REDIRECT_URI", redirectUri());
        env.put("ACCOUNTS_FILE", accounts.toString());
        process = new ChildProcess(
                        "oidc-provider",
                        List.of("node", "provider.mjs"),
                        env,
                        dir,
                        dir,
                        new PidRegistry(dir.resolve("pids")))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .build();
        Wait.until("oidc-provider to answer on port " + port, Duration.ofSeconds(30), () -> {
            if (!process.alive()) {
                throw new IllegalStateException("oidc-provider ended: " + process.logTail(2000));
            }
            try {
                return http.send(discovery, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.close();
        }
    }

    /** The accounts the provider signs in, by subject: each a map of claims (preferred_username, email, groups). */
    public void setAccounts(Map<String, Map<String, Object>> byId) throws IOException {
        Path tmp = accounts.resolveSibling("accounts.json.tmp");
        Files.writeString(tmp, JSON.writeValueAsString(byId));
        Files.move(tmp, accounts, StandardCopyOption.REPLACE_EXISTING);
    }

    public String issuer() {
        return "http://127.0.0.1:" + port;
    }

    /** The port the Baton server of the test must listen on (the provider's client names its callback). */
    public int batonPort() {
        return batonPort;
    }

    public String redirectUri() {
        return "http://127.0.0.1:" + batonPort + "/api/v1/login/oidc/callback";
    }

    /** A Baton server's settings for this provider: its issuer, client and callback, on {@link #batonPort()}. */
    public ConfigOverride[] batonSettings() {
        return new ConfigOverride[] {
            ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(batonPort)),
            ConfigOverride.config("oidc.issuer", issuer()),
            ConfigOverride.config("oidc.clientId", CLIENT_ID),
            ConfigOverride.config("oidc.clientSecret", CLIENT_SECRET),
            ConfigOverride.config("oidc.redirectUri", redirectUri()),
            ConfigOverride.config("oidc.scopes", "openid,profile,email,groups")
        };
    }

    public String logTail() {
        return process == null ? "" : process.logTail(4000);
    }
}
