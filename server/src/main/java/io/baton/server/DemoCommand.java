package io.baton.server;

import io.baton.server.local.Demo;
import io.baton.server.local.Ports;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code ./baton demo}: local mode, plus the {@code examples/iris} pipeline uploaded and run end to end once the
 * server is up. The server stays up afterwards until Ctrl-C.
 */
public final class DemoCommand extends ServerCommand<BatonConfiguration> {
    public DemoCommand(BatonApplication application) {
        super(application, "demo", "Runs local mode and the examples/iris pipeline end to end");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser
                .addArgument("--example")
                .dest("example")
                .setDefault("examples/iris")
                .help("folder of the example pipeline (its baton.yaml and code)");
    }

    @Override
    protected void run(Environment environment, Namespace namespace, BatonConfiguration configuration)
            throws Exception {
        String example = namespace.getString("example");
        environment.lifecycle().addServerLifecycleListener(server -> {
            Thread demo = new Thread(
                    () -> new Demo(Path.of(configuration.auth.adminTokenFile), Ports.application(server), example)
                            .run(),
                    "demo");
            demo.setDaemon(true);
            demo.start();
        });
        super.run(environment, namespace, configuration);
    }
}
