package dev.tributary.cli;

import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** One line per model: what it is and how far it has learned. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = "List the models in the registry.")
public final class ModelsListCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelRegistry registry = Registries.open(kafka)) {
            List<String> models = registry.models();
            if (models.isEmpty()) {
                out.println(
                        "No models yet; create one with 'tributary models create NAME --algorithm linear --features a,b'.");
                return 0;
            }
            out.println(table(registry.view(), models));
        }
        return 0;
    }

    /** One row per model; EXAMPLES and METRIC are the served version's, next to it, and LATEST the newest version. */
    static Table table(RegistryView view, List<String> models) {
        Table table = new Table("NAME", "ALGORITHM", "SERVING", "EXAMPLES", "METRIC", "LATEST");
        for (String name : models) {
            ModelSpec s = view.spec(name).orElse(null);
            ModelVersion latest = view.latest(name).orElse(null);
            ModelVersion serving = view.serving(name).orElse(null);
            boolean champion = serving != null
                    && Long.valueOf(serving.getVersion())
                            .equals(view.aliases(name).get(RegistryView.CHAMPION));
            table.row(
                    name,
                    s != null ? s.getAlgorithm() : latest != null ? latest.getAlgorithm() : "(retired)",
                    serving == null ? "-" : serving.getVersion() + (champion ? " (champion)" : " (latest)"),
                    serving == null ? "-" : Metrics.count(serving.getExamplesSeen()),
                    serving == null ? "-" : Metrics.headline(serving),
                    latest == null ? "-" : latest.getVersion());
        }
        return table;
    }
}
