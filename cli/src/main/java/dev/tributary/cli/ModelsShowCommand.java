package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.registry.ModelRef;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelVersion;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One version as JSON. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Print one version of a model as JSON: weights per feature, bias, scaler, metrics, lineage "
                    + "(parent, input offsets, producer, hyper-parameters), the promotion gate's decision and its aliases.",
            "NAME is the serving version (champion if set, else the latest)."
        })
public final class ModelsShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME[@ALIAS|:VERSION]", description = "Which version.")
    String ref;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelRef parsed;
        try {
            parsed = ModelRef.parse(ref);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (ModelRegistry registry = Registries.open(kafka)) {
            ModelVersion version = registry.resolve(ref).orElseThrow(() -> missing(registry, parsed));
            ObjectNode json = VersionJson.render(version);
            ArrayNode aliases = json.putArray("aliases");
            new TreeMap<>(registry.view().aliases(version.getModel())).forEach((alias, v) -> {
                if (v == version.getVersion()) {
                    aliases.add(alias);
                }
            });
            spec.commandLine().getOut().println(Json.pretty(json));
        }
        return 0;
    }

    private static CliException missing(ModelRegistry registry, ModelRef ref) {
        var versions = registry.view().versions(ref.model());
        if (versions.isEmpty()) {
            return Registries.unknownModel(ref.model());
        }
        if (ref.alias() != null) {
            return new CliException("model '" + ref.model() + "' has no alias '" + ref.alias() + "' (aliases: "
                    + (registry.view().aliases(ref.model()).isEmpty()
                            ? "none"
                            : registry.view().aliases(ref.model())) + ")");
        }
        return new CliException("model '" + ref.model() + "' has no version " + ref.version() + " (versions "
                + versions.firstKey() + " to " + versions.lastKey() + ")");
    }
}
