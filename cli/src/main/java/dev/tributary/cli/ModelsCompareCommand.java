package dev.tributary.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ShadowComparison;
import dev.tributary.schema.serde.AvroCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The latest comparison of each shadow version of a model with its serving version, from the comparisons topic. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Compare each shadow version of a model (its challenger, and the aliases its spec lists with "
                    + "--shadow) with the serving version, on the same labelled events: each one's promotion metric over the "
                    + "last --promotion-window events, how often they agree, and the difference (shadow - serving) with a 95 %% "
                    + "confidence interval. The functions write a comparison every 100 labelled events."
        })
public final class ModelsCompareCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    enum Format {
        table,
        json
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Option(names = "--format", paramLabel = "F", description = "table (default) or json.")
    Format format = Format.table;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ModelRegistry registry = Registries.open(kafka)) {
            Registries.requireSpec(registry, name);
        }
        byte[] prefix = (name + "/").getBytes(StandardCharsets.UTF_8);
        List<ShadowComparison> read = SmallTopic.read(
                kafka.clientProperties(),
                kafka.topics().comparisons(),
                key -> startsWith(key, prefix),
                AvroCodec.of(ShadowComparison.class)::decode);
        Collection<ShadowComparison> latest = latestByAlias(read);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.pretty(json(latest)));
        } else if (latest.isEmpty()) {
            out.println("No comparison of model '" + name + "' yet: it needs a challenger alias (or --shadow aliases) "
                    + "and labelled events, 100 of them for a first comparison.");
        } else {
            out.println(table(latest));
        }
        return 0;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length > prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The newest comparison of each alias, in the order the aliases first appear. */
    static Collection<ShadowComparison> latestByAlias(List<ShadowComparison> comparisons) {
        Map<String, ShadowComparison> latest = new LinkedHashMap<>();
        comparisons.forEach(c -> latest.put(c.getAlias(), c));
        return latest.values();
    }

    static Table table(Collection<ShadowComparison> comparisons) {
        Table table = new Table(
                "ALIAS",
                "VERSION",
                "SERVING",
                "METRIC",
                "SHADOW",
                "SERVED",
                "DIFFERENCE",
                "95% CI",
                "AGREEMENT",
                "EVENTS",
                "UPDATED");
        for (ShadowComparison c : comparisons) {
            table.row(
                    c.getAlias(),
                    c.getVersion(),
                    c.getServingVersion(),
                    c.getMetric(),
                    Metrics.number(c.getShadowMetric()),
                    Metrics.number(c.getServingMetric()),
                    signed(c.getDifference()),
                    "[" + signed(c.getCiLow()) + ", " + signed(c.getCiHigh()) + "]",
                    Double.isNaN(c.getAgreement()) ? "-" : Metrics.number(c.getAgreement()),
                    Metrics.count(c.getCount()),
                    TIME.format(Instant.ofEpochMilli(c.getUpdatedAt())));
        }
        return table;
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.4f", v);
    }

    static ArrayNode json(Collection<ShadowComparison> comparisons) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ShadowComparison c : comparisons) {
            ObjectNode o = array.addObject();
            o.put("model", c.getModel());
            o.put("alias", c.getAlias());
            o.put("version", c.getVersion());
            o.put("servingVersion", c.getServingVersion());
            o.put("metric", c.getMetric());
            o.put("count", c.getCount());
            o.put("total", c.getTotal());
            o.put("shadowMetric", c.getShadowMetric());
            o.put("servingMetric", c.getServingMetric());
            o.put("agreements", c.getAgreements());
            if (Double.isNaN(c.getAgreement())) {
                o.putNull("agreement");
            } else {
                o.put("agreement", c.getAgreement());
            }
            o.put("difference", c.getDifference());
            o.put("ciLow", c.getCiLow());
            o.put("ciHigh", c.getCiHigh());
            o.put("updatedAt", c.getUpdatedAt());
        }
        return array;
    }
}
