package dev.tributary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Parent of the model registry commands. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = "Create models, inspect their versions, and move or retire them in the registry.",
        subcommands = {
            ModelsCreateCommand.class,
            ModelsListCommand.class,
            ModelsVersionsCommand.class,
            ModelsShowCommand.class,
            ModelsCompareCommand.class,
            ModelsAliasCommand.class,
            ModelsRollbackCommand.class,
            ModelsRetireCommand.class
        })
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing a models command: create, list, versions, show, compare, alias, rollback or retire");
    }
}
