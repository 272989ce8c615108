package io.baton.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A fresh MariaDB database for a test suite: from Testcontainers where a Docker engine exists, otherwise on the
 * server named by {@code BATON_TEST_DB_URL} (with {@code BATON_TEST_DB_USER}, {@code BATON_TEST_DB_PASSWORD}),
 * which {@code ./baton test} installs and starts.
 */
public record TestDatabase(String url, String user, String password, AutoCloseable owner) {
  private static final String OPTIONS = "?useUnicode=true&characterEncoding=utf8&allowPublicKeyRetrieval=true&useSSL=false"
      + "&rewriteBatchedStatements=true";

  public static TestDatabase create() throws Exception {
    String server = System.getenv("BATON_TEST_DB_URL");
    if (server != null && !server.isBlank()) {
      String user = System.getenv().getOrDefault("BATON_TEST_DB_USER", "root");
      String password = System.getenv().getOrDefault("BATON_TEST_DB_PASSWORD", "");
      String name = "baton_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      String base = server.endsWith("/") ? server : server + "/";
      try (Connection c = DriverManager.getConnection(base + OPTIONS, user, password);
           Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      }
      return new TestDatabase(base + name + OPTIONS, user, password, () -> drop(base, name, user, password));
    }
    if (dockerAvailable()) {
      MySQLContainer container = new MySQLContainer(
          DockerImageName.parse("mariadb:10.11").asCompatibleSubstituteFor("mysql"));
      container.start();
      return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
          container::stop);
    }
    throw new IllegalStateException("these tests need MariaDB: run them with ./baton test, or set BATON_TEST_DB_URL"
        + " (e.g. jdbc:mysql://127.0.0.1:3306/), BATON_TEST_DB_USER and BATON_TEST_DB_PASSWORD, or provide a"
        + " Docker engine for Testcontainers");
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void drop(String base, String name, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(base + OPTIONS, user, password);
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    }
  }
}
