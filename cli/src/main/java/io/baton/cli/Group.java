package io.baton.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A resource's command, which only holds its verbs ({@code baton runs list}): without one, a usage error. */
public abstract class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "'" + spec.qualifiedName() + "' needs a verb: one of "
                        + String.join(
                                ", ",
                                spec.subcommands().keySet().stream()
                                        .filter(v -> !v.equals("help"))
                                        .toList()));
    }
}
