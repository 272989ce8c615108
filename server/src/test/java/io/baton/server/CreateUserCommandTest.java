package io.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.access.Passwords;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;

/** {@code ./baton admin create-user}: the first admin of a production server, with a password read from stdin. */
class CreateUserCommandTest {
    @Test
    void createsAnAdminWithAPasswordFromStdinAndPrintsATokenThatWorks() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        Path config = Files.createTempFile("baton-create-user", ".yml");
        Files.writeString(
                config,
                "database:\n  driverClass: org.h2.Driver\n  user: sa\n  password: \"\"\n  url: \"" + url + "\"\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("a long passphrase\n".getBytes(StandardCharsets.UTF_8)));
        Optional<Throwable> failure;
        try {
            BatonApplication app = new BatonApplication();
            Bootstrap<BatonConfiguration> bootstrap = new Bootstrap<>(app);
            bootstrap.addCommand(new CreateUserCommand());
            failure = new Cli(
                            new JarLocation(BatonApplication.class),
                            bootstrap,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(
                            "admin-create-user",
                            "--name",
                            "root",
                            "--admin",
                            "--password-stdin",
                            "--token",
                            "ops",
                            config.toString());
        } finally {
            System.setIn(stdin);
        }
        assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();

        Jdbi jdbi = Jdbi.create(url, "sa", "");
        jdbi.installPlugin(new SqlObjectPlugin());
        UserRow root = jdbi.onDemand(UserDao.class).findByName("root").orElseThrow();
        assertThat(root.admin()).isTrue();
        assertThat(Passwords.matches("a long passphrase", root.passwordHash())).isTrue();
        assertThat(root.passwordHash()).doesNotContain("a long passphrase");
        Files.deleteIfExists(config);
    }

    @Test
    void theTokenItPrintsActsAsTheNewUser() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        Path config = Files.createTempFile("baton-create-user", ".yml");
        Files.writeString(
                config,
                "database:\n  driverClass: org.h2.Driver\n  user: sa\n  password: \"\"\n  url: \"" + url + "\"\n");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            BatonApplication app = new BatonApplication();
            Bootstrap<BatonConfiguration> bootstrap = new Bootstrap<>(app);
            bootstrap.addCommand(new CreateUserCommand());
            new Cli(new JarLocation(BatonApplication.class), bootstrap, System.out, System.err)
                    .run("admin-create-user", "--name", "ci", "--token", "pipeline", config.toString());
        } finally {
            System.setOut(stdout);
        }
        String[] lines = printed.toString(StandardCharsets.UTF_8).trim().split("\n");
        String token = lines[lines.length - 1].trim();
        assertThat(token).startsWith("bt_");
        Jdbi jdbi = Jdbi.create(url, "sa", "");
        jdbi.installPlugin(new SqlObjectPlugin());
        Caller caller = new TokenService(jdbi).authenticate(token).orElseThrow();
        assertThat(caller.name()).isEqualTo("ci");
        assertThat(caller.admin()).isFalse();
        Files.deleteIfExists(config);
    }
}
