package io.baton.server.testing;

import io.baton.server.local.MariaDbServer;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A fresh MariaDB database for a test suite, on the test run's own MariaDB server: started on first use in this
 * JVM (its own data folder, socket and port; {@link MariaDbServer}) and stopped when the JVM ends, so that a
 * developer's MariaDB is never touched. Where MariaDB's server is not installed but a Docker engine exists,
 * Testcontainers starts one. {@code BATON_TEST_DB_URL} (with {@code BATON_TEST_DB_USER},
 * {@code BATON_TEST_DB_PASSWORD}) names another server instead, for those who want one.
 */
public record TestDatabase(String url, String user, String password, AutoCloseable owner) {
    private static final String OPTIONS =
            "?useUnicode=true&characterEncoding=utf8&allowPublicKeyRetrieval=true&useSSL=false"
                    + "&rewriteBatchedStatements=true";
    private static MariaDbServer ownServer;

    public static TestDatabase create() throws Exception {
        String server = System.getenv("BATON_TEST_DB_URL");
        String user;
        String password;
        String base;
        if (server != null && !server.isBlank()) {
            user = System.getenv().getOrDefault("BATON_TEST_DB_USER", "root");
            password = System.getenv().getOrDefault("BATON_TEST_DB_PASSWORD", "");
            base = server.endsWith("/") ? server : server + "/";
        } else if (!MariaDbServer.installed() && dockerAvailable()) {
            MySQLContainer container =
                    new MySQLContainer(DockerImageName.parse("mariadb:10.11").asCompatibleSubstituteFor("mysql"));
            container.start();
            return new TestDatabase(
                    container.getJdbcUrl(), container.getUsername(), container.getPassword(), container::stop);
        } else {
            MariaDbServer testServer = ownServer();
            user = testServer.user();
            password = testServer.password();
            base = "jdbc:mysql://127.0.0.1:" + testServer.port() + "/";
        }
        boolean own = server == null || server.isBlank();
        String name =
                "baton_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base + OPTIONS, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return new TestDatabase(base + name + OPTIONS, user, password, () -> drop(base, name, user, password, own));
    }

    /**
     * Restarts the test run's own server (a clean shutdown, then a start on the same folder and port). False when
     * this JVM's tests use a server named by {@code BATON_TEST_DB_URL}, which is not the tests' to restart.
     */
    public static synchronized boolean restartOwnServer() throws Exception {
        if (ownServer == null) {
            return false;
        }
        ownServer.stop();
        ownServer.start();
        return true;
    }

    private static synchronized MariaDbServer ownServer() throws Exception {
        if (ownServer == null) {
            Path folder = Path.of(
                            "target", "test-mariadb-" + ProcessHandle.current().pid())
                    .toAbsolutePath();
            MariaDbServer started = new MariaDbServer(
                    folder, TestCluster.freePort(), "32M", folder.resolveSibling(folder.getFileName() + ".log"));
            try {
                started.start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "these tests start a MariaDB server of their own: install MariaDB's server"
                                + " (./baton test does, with apt) or set BATON_TEST_DB_URL, BATON_TEST_DB_USER and"
                                + " BATON_TEST_DB_PASSWORD to use another one (" + e.getMessage() + ")",
                        e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    started.stop();
                                } catch (IOException e) {
                                    System.err.println("the tests' MariaDB did not stop cleanly: " + e);
                                }
                            },
                            "test-mariadb-stop"));
            ownServer = started;
        }
        return ownServer;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void drop(String base, String name, String user, String password, boolean own) throws SQLException {
        try (Connection c = DriverManager.getConnection(base + OPTIONS, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            if (!own) {
                throw e;
            }
            // the test run's own server may be stopping already (JVM shutdown): its folder goes with target/
        }
    }
}
