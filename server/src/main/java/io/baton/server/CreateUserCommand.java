package io.baton.server;

import io.baton.server.access.Access;
import io.baton.server.access.UserService;
import io.baton.server.api.TokenRequest;
import io.baton.server.api.UserRequest;
import io.baton.server.api.UserView;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.core.BatonException;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code ./baton admin create-user}: a production server's first administrator (or any user), written straight to
 * the database its configuration names; the password is read from standard input, never from the command line.
 */
public final class CreateUserCommand extends ConfiguredCommand<BatonConfiguration> {
    public CreateUserCommand() {
        super("admin-create-user", "Creates a user in the configured database (the first admin of a server)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--name").dest("name").required(true).help("the user's unique name");
        subparser.addArgument("--email").dest("email").help("the user's e-mail address");
        subparser
                .addArgument("--admin")
                .dest("admin")
                .action(Arguments.storeTrue())
                .help("a global administrator");
        subparser
                .addArgument("--password-stdin")
                .dest("passwordStdin")
                .action(Arguments.storeTrue())
                .help("read the password from the first line of standard input (else: no password, tokens only)");
        subparser
                .addArgument("--token")
                .dest("token")
                .help("also issue an API token of this name and print it (shown once)");
    }

    @Override
    protected void run(Bootstrap<BatonConfiguration> bootstrap, Namespace namespace, BatonConfiguration config)
            throws Exception {
        BatonApplication.migrate(config);
        Jdbi jdbi = Jdbi.create(config.database.getUrl(), config.database.getUser(), config.database.getPassword());
        jdbi.installPlugin(new SqlObjectPlugin());
        String password = null;
        if (namespace.getBoolean("passwordStdin")) {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        TokenService tokens = new TokenService(jdbi);
        Access access = new Access(jdbi);
        UserService users = new UserService(jdbi, tokens, access, 0, 1, 1);
        Caller baton = new Caller(null, null, "baton", Caller.USER, true, null);
        try {
            UserView user = users.create(
                    new UserRequest(
                            namespace.getString("name"),
                            namespace.getString("email"),
                            password,
                            namespace.getBoolean("admin")),
                    baton);
            System.out.println("created user " + user.name() + (user.admin() ? " (global admin)" : ""));
            String tokenName = namespace.getString("token");
            if (tokenName != null) {
                var token = tokens.create(new TokenRequest(null, tokenName, null, null, user.name(), null), baton);
                System.out.println(token.token());
            }
        } catch (BatonException e) {
            System.err.println("cannot create the user: " + e.getMessage());
            System.exit(3);
        }
    }
}
