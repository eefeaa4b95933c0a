package dev.tributary.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Points an alias at a version: scoring follows 'champion', so moving it back is a rollback. */
@Command(
        name = "alias",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Point an alias of a model at a version.",
            "Scoring follows 'champion' when it is set: moving it to an older version is a rollback."
        })
public final class ModelsAliasCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "For example champion or challenger.")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION", description = "An existing version.")
    long version;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Registries.call(kafka, registry -> {
            registry.setAlias(name, alias, version);
            return null;
        });
        spec.commandLine().getOut().println("Model '" + name + "': " + alias + " -> version " + version + ".");
        return 0;
    }
}
