package dev.tributary.cli;

import dev.tributary.model.Promotion;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The versions of one model, newest first, with their lineage and aliases. */
@Command(
        name = "versions",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "List the versions of a model, newest first: aliases, parent, examples seen, progressive metrics, "
                    + "the metric over the last window of examples, the promotion gate's decision, the producing instance, and the "
                    + "drift detector that fired while it served (with the alert's figures below the table).",
            "'tributary models show NAME:VERSION' prints one version in full (input offsets, hyper-parameters, weights)."
        })
public final class ModelsVersionsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Option(names = "--limit", paramLabel = "N", description = "Show only the newest N versions.")
    Integer limit;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelRegistry registry = Registries.open(kafka)) {
            NavigableMap<Long, ModelVersion> versions = registry.versions(name);
            if (versions.isEmpty()) {
                throw Registries.unknownModel(name);
            }
            Map<String, Long> aliases = registry.view().aliases(name);
            long serving =
                    registry.view().serving(name).map(ModelVersion::getVersion).orElse(-1L);
            List<DriftAlert> alerts =
                    DriftAlerts.read(kafka.clientProperties(), kafka.topics().alerts(), name);
            out.println(table(versions, aliases, serving, limit, alerts));
            int shown = 0;
            for (ModelVersion v : versions.descendingMap().values()) {
                if (limit != null && shown++ >= limit) {
                    break;
                }
                if (v.getPromotion() != null && !v.getPromotion().getAccepted()) {
                    out.println("Version " + v.getVersion() + " refused: "
                            + v.getPromotion().getReason() + ".");
                }
            }
            for (DriftAlert a : alerts) {
                out.println("Version " + a.getVersion() + " drifted at "
                        + TIME.format(Instant.ofEpochMilli(a.getDetectedAt())) + ": " + DriftAlerts.describe(a) + ".");
            }
        }
        return 0;
    }

    static Table table(
            NavigableMap<Long, ModelVersion> versions, Map<String, Long> aliases, long serving, Integer limit) {
        return table(versions, aliases, serving, limit, List.of());
    }

    /** The table with a DRIFT column: the detector that fired while each version was serving. */
    static Table table(
            NavigableMap<Long, ModelVersion> versions,
            Map<String, Long> aliases,
            long serving,
            Integer limit,
            List<DriftAlert> alerts) {
        // The DELAYED column only for models whose labels come later (delayed progressive validation).
        boolean delayed = versions.values().stream().anyMatch(v -> DelayedFigures.present(v.getMetrics()));
        List<String> header = new ArrayList<>(List.of(
                "VERSION",
                "ALIASES",
                "PARENT",
                "EXAMPLES",
                "METRICS",
                "WINDOW",
                "GATE",
                "PRODUCED BY",
                "CREATED",
                "DRIFT"));
        if (delayed) {
            header.add(5, "DELAYED");
        }
        Table table = new Table(header.toArray(String[]::new));
        int shown = 0;
        for (ModelVersion v : versions.descendingMap().values()) {
            if (limit != null && shown++ >= limit) {
                break;
            }
            List<Object> row = new ArrayList<>(List.of(
                    v.getVersion(),
                    aliasesOf(aliases, v.getVersion(), serving),
                    v.getParentVersion() == null ? "-" : v.getParentVersion(),
                    Metrics.count(v.getExamplesSeen()),
                    Metrics.all(DelayedFigures.without(withoutWindow(v.getMetrics()))),
                    window(v),
                    gate(v.getPromotion()),
                    v.getProducedBy(),
                    TIME.format(Instant.ofEpochMilli(v.getCreatedAt())),
                    DriftAlerts.mark(alerts, v.getVersion())));
            if (delayed) {
                row.add(5, DelayedFigures.text(v.getMetrics()));
            }
            table.row(row.toArray());
        }
        return table;
    }

    /** "champion,challenger"; "(serving)" marks the latest version when no champion is set. */
    static String aliasesOf(Map<String, Long> aliases, long version, long serving) {
        List<String> names = new ArrayList<>();
        aliases.forEach((alias, v) -> {
            if (v == version) {
                names.add(alias);
            }
        });
        names.sort(null);
        if (version == serving && !names.contains(RegistryView.CHAMPION)) {
            names.add("(serving)");
        }
        return String.join(",", names);
    }

    private static Map<String, Double> withoutWindow(Map<String, Double> metrics) {
        Map<String, Double> rest = new LinkedHashMap<>(metrics);
        rest.keySet().removeIf(k -> k.startsWith(Promotion.WINDOW_PREFIX));
        return rest;
    }

    /** "accuracy=0.9120/1,000": the windowed metric over how many examples, or "-". */
    static String window(ModelVersion v) {
        Double count = v.getMetrics().get(Promotion.WINDOW_COUNT);
        for (Map.Entry<String, Double> e : v.getMetrics().entrySet()) {
            if (e.getKey().startsWith(Promotion.WINDOW_PREFIX) && !e.getKey().equals(Promotion.WINDOW_COUNT)) {
                return e.getKey().substring(Promotion.WINDOW_PREFIX.length()) + "=" + Metrics.number(e.getValue())
                        + (count == null ? "" : "/" + Metrics.count(count.longValue()));
            }
        }
        return "-";
    }

    static String gate(PromotionDecision d) {
        if (d == null) {
            return "-";
        }
        return d.getAccepted() ? "accepted" : "refused";
    }
}
