package dev.tributary.cli;

import dev.tributary.registry.ModelRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Moves champion back. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Move a model's champion back: to --to VERSION, or to the newest version older than the one "
                    + "served now (passing over versions the promotion gate refused).",
            "Every scoring instance follows within a second. With auto promotion, the next version that passes the gate "
                    + "becomes champion again."
        })
public final class ModelsRollbackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Option(names = "--to", paramLabel = "VERSION", description = "The version champion should point at.")
    Long to;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (to != null && to < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--to must be a version >= 0, got " + to);
        }
        ModelRegistry.Rollback done = Registries.call(kafka, registry -> {
            Registries.requireVersions(registry, name);
            return registry.rollback(name, to);
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println("Model '" + name + "': champion -> version " + done.to() + " (was "
                + (done.from() == null ? "unset, serving the latest" : "version " + done.from()) + ").");
        if (done.to() == 0) {
            out.println(
                    "Version 0 has the all-zero weights 'models create' published: every prediction is the same until "
                            + "champion moves again.");
        }
        if (!done.skipped().isEmpty()) {
            out.println("Passed over versions " + done.skipped() + ": the promotion gate had refused them.");
        }
        return 0;
    }
}
