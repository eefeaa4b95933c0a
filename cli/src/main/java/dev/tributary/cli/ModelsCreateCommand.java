package dev.tributary.cli;

import dev.tributary.model.ModelSpecs;
import dev.tributary.schema.ModelSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Publishes a model's spec and version 0. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        sortOptions = false,
        description = {
            "Create a model: publish its spec and version 0 (all-zero weights) to the registry.",
            "Hyper-parameters left out take the learners' defaults."
        })
public final class ModelsCreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name: letters, digits, '.', '_' or '-'.")
    String name;

    @Mixin
    SpecOptions options;

    @Option(names = "--if-not-exists", description = "Succeed, changing nothing, if the model already exists.")
    boolean ifNotExists;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelSpec modelSpec;
        try {
            modelSpec = options.toSpec(name);
            ModelSpecs.validate(modelSpec);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean created = Registries.call(kafka, registry -> {
            if (ifNotExists && registry.spec(name).isPresent()) {
                return false;
            }
            registry.createModel(modelSpec);
            return true;
        });
        if (!created) {
            spec.commandLine().getOut().println("Model '" + name + "' already exists; left as it is.");
            return 0;
        }
        spec.commandLine()
                .getOut()
                .println("Created model '" + name + "' (" + SpecDescription.describe(modelSpec) + ") with version 0.");
        return 0;
    }
}
