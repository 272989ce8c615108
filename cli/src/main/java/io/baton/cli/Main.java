package io.baton.cli;

import io.baton.cli.commands.DatasetsCommand;
import io.baton.cli.commands.EndpointsCommand;
import io.baton.cli.commands.LoginCommand;
import io.baton.cli.commands.LogoutCommand;
import io.baton.cli.commands.MeCommand;
import io.baton.cli.commands.ModelsCommand;
import io.baton.cli.commands.PipelinesCommand;
import io.baton.cli.commands.PoolsCommand;
import io.baton.cli.commands.ProjectsCommand;
import io.baton.cli.commands.RunCommand;
import io.baton.cli.commands.RunsCommand;
import io.baton.cli.commands.SchedulesCommand;
import io.baton.cli.commands.TokensCommand;
import io.baton.cli.commands.ValidateCommand;
import io.baton.cli.commands.WorkersCommand;
import io.baton.common.BatonVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code baton}: the API's routes as commands (docs/cli.md). */
@Command(
        name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Baton's command line: runs, pipelines, the registry and the cluster (docs/cli.md).",
        footer = {
            "",
            "Exit codes: 0 success (a followed run SUCCEEDED), 1 the run FAILED, 2 CANCELLED, 3 bad input, 4 any other error."
        },
        subcommands = {
            LoginCommand.class,
            LogoutCommand.class,
            MeCommand.class,
            ProjectsCommand.class,
            RunCommand.class,
            RunsCommand.class,
            ValidateCommand.class,
            TokensCommand.class,
            PipelinesCommand.class,
            WorkersCommand.class,
            PoolsCommand.class,
            DatasetsCommand.class,
            ModelsCommand.class,
            SchedulesCommand.class,
            EndpointsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is missing; try baton --help");
    }

    public static void main(String[] args) {
        System.exit(execute(Context.system(), args));
    }

    /** Runs one command line; the exit code (contract 3). */
    public static int execute(Context context, String... args) {
        Context.set(context);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        cli.setExitCodeExceptionMapper(e -> CliException.OTHER);
        cli.setParameterExceptionHandler((e, a) -> {
            context.err().println("baton: " + e.getMessage());
            context.err().println("try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            return CliException.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                context.err().println("baton: " + failure.getMessage());
                if (failure instanceof ApiClient.ApiException api && api.details() != null) {
                    for (var d : api.details()) {
                        context.err().println("  " + Details.line(api.file(), d));
                    }
                }
                return failure.exitCode();
            }
            context.err().println("baton: " + e);
            return CliException.OTHER;
        });
        return cli.execute(hoisted(args));
    }

    /** {@code baton --version}: Baton's version, from the protocol module's properties. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"baton " + BatonVersion.version()};
        }
    }

    /**
     * The common options given before the command ({@code baton --server URL runs list}) moved behind it, where each
     * command takes them.
     */
    static String[] hoisted(String[] args) {
        List<String> leading = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--json") || a.startsWith("--server=") || a.startsWith("--token=")) {
                leading.add(a);
                i++;
            } else if ((a.equals("--server") || a.equals("--token")) && i + 1 < args.length) {
                leading.add(a);
                leading.add(args[i + 1]);
                i += 2;
            } else {
                break;
            }
        }
        if (leading.isEmpty() || i == args.length) {
            return args;
        }
        List<String> out = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        int end = out.indexOf("--"); // after "--" everything is the command's (endpoints deploy)
        out.addAll(end < 0 ? out.size() : end, leading);
        return out.toArray(String[]::new);
    }
}
