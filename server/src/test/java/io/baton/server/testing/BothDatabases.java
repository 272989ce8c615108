package io.baton.server.testing;

import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The two databases Baton runs on, for parameterized tests ({@code @MethodSource(BothDatabases.SOURCE)}, arguments
 * name, url, user, password): a fresh in-memory H2 in MySQL mode (local mode's database) and one MariaDB database
 * shared by every such test of this JVM, dropped when the JVM ends.
 */
public final class BothDatabases {
  public static final String SOURCE = "io.baton.server.testing.BothDatabases#arguments";
  private static TestDatabase mariadb;

  private BothDatabases() {
  }

  public static synchronized Stream<Arguments> arguments() throws Exception {
    if (mariadb == null) {
      mariadb = TestDatabase.create();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          mariadb.owner().close();
        } catch (Exception e) {
          System.err.println("could not drop the test database: " + e);
        }
      }));
    }
    String h2 = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    return Stream.of(Arguments.of("h2", h2, "sa", ""),
        Arguments.of("mariadb", mariadb.url(), mariadb.user(), mariadb.password()));
  }
}
