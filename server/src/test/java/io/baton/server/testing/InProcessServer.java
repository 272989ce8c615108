package io.baton.server.testing;

import io.baton.server.BatonApplication;
import io.baton.server.BatonConfiguration;
import io.baton.server.secrets.SecretCipher;
import io.baton.workflows.PayloadKeys;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.glassfish.jersey.server.ResourceConfig;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fast HTTP tier's server, once per test class: the real {@link BatonApplication} in this JVM, on a fresh in-memory
 * H2 and Temporal's in-process test server, no worker ({@code @RegisterExtension static final InProcessServer}).
 */
public final class InProcessServer implements BeforeAllCallback, AfterAllCallback {
    private static final String ADMIN_TOKEN =
            "bt_fast_admin_" + UUID.randomUUID().toString().replace("-", "");
    private int temporalPort;
    private TestServer.PortBoundTestServer temporal;
    private DropwizardTestSupport<BatonConfiguration> app;
    private Path dataDir;
    private String databaseUrl;
    private final ConfigOverride[] extra;

    /** {@code extra}: settings of the test's own (e.g. {@link OidcProvider#batonSettings()}). */
    public InProcessServer(ConfigOverride... extra) {
        this.extra = extra;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        temporalPort = TestCluster.freePort();
        temporal = TestServer.createPortBoundServer(temporalPort);
        dataDir = Files.createTempDirectory("baton-fast-");
        String database = databaseUrl =
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", database),
                ConfigOverride.config("dataDir", dataDir.toString()),
                ConfigOverride.config("temporal.target", "127.0.0.1:" + temporalPort),
                ConfigOverride.config("temporal.payloadKey", PayloadKeys.generate("fast1")),
                ConfigOverride.config("auth.bootstrapAdminToken", ADMIN_TOKEN),
                ConfigOverride.config("secrets.key", SecretCipher.generate())));
        overrides.addAll(List.of(extra));
        app = new DropwizardTestSupport<>(
                BatonApplication.class,
                ResourceHelpers.resourceFilePath("in-process-server.yml"),
                overrides.toArray(ConfigOverride[]::new));
        app.before();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (app != null) {
            app.after();
        }
        if (temporal != null) {
            temporal.close();
        }
    }

    public Api admin() {
        return new Api(apiBase(), ADMIN_TOKEN);
    }

    public Api anonymous() {
        return new Api(apiBase(), null);
    }

    public String apiBase() {
        return "http://127.0.0.1:" + app.getLocalPort() + "/api/v1";
    }

    public int adminPort() {
        return app.getAdminPort();
    }

    /** The running application's Jersey configuration: every resource it serves (the security matrix walks it). */
    public ResourceConfig resources() {
        return app.getEnvironment().jersey().getResourceConfig();
    }

    /** The server's in-memory H2 database, which this JVM may open too (to count rows, or insert a fixture). */
    public Jdbi database() {
        return Jdbi.create(databaseUrl, "sa", "").installPlugin(new SqlObjectPlugin());
    }

    /** The server's data folder (its blobs). */
    public Path dataDir() {
        return dataDir;
    }
}
