package dev.tributary.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Tombstones one version. */
@Command(
        name = "retire",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Retire one version of a model: delete it from the registry (a tombstone; compaction removes it).",
            "Every other version stays. Aliases pointing at it are deleted with it. The champion is refused unless --force.",
            "With --all instead of a version: retire the whole model (its spec, every version and alias)."
        })
public final class ModelsRetireCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The version to retire.")
    Long version;

    @Option(
            names = "--all",
            description = "Retire the whole model: its spec, every version and every alias. Events "
                    + "for it are then dead-lettered as UNKNOWN_MODEL.")
    boolean all;

    @Option(
            names = "--force",
            description = "Retire it even if it is the champion (scoring then follows the latest version).")
    boolean force;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (all == (version != null)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    all
                            ? "give either VERSION or --all, not both"
                            : "give the VERSION to retire, or --all to retire the whole model");
        }
        if (all) {
            int records = Registries.call(kafka, registry -> {
                Registries.requireSpec(registry, name);
                return registry.retire(name);
            });
            spec.commandLine()
                    .getOut()
                    .println("Model '" + name + "' retired: its spec, versions and aliases (" + records
                            + " registry records) are deleted.");
            return 0;
        }
        if (version < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "VERSION must be >= 0, got " + version);
        }
        List<String> aliases = Registries.call(kafka, registry -> {
            Registries.requireVersions(registry, name);
            return registry.retireVersion(name, version, force);
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println("Model '" + name + "': retired version " + version
                + (aliases.isEmpty()
                        ? "."
                        : " and its alias" + (aliases.size() > 1 ? "es " : " ") + String.join(", ", aliases) + "."));
        if (aliases.contains(dev.tributary.registry.RegistryView.CHAMPION)) {
            out.println("Champion is no longer set: scoring follows the latest version until you set it again "
                    + "('tributary models alias " + name + " champion VERSION').");
        }
        return 0;
    }
}
