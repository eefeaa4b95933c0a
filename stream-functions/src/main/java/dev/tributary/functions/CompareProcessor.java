package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.model.Comparison;
import dev.tributary.model.EvidenceGate;
import dev.tributary.model.Promotion;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.ShadowComparison;
import dev.tributary.schema.ShadowPrediction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares each shadow version of a model (see {@link ShadowScorer}) with its serving version on the
 * labelled examples the train function receives: both score the example, a {@link Comparison} per
 * alias keeps the spec's promotion metric of each over the last {@code promotionWindow} examples,
 * their agreement and the difference with its interval. Every {@value #REPORT_EVERY} examples of a
 * pair it forwards a {@link ShadowComparison} (to the compacted comparisons topic, keyed {@code
 * MODEL/ALIAS}) and keeps it in {@link FunctionStats#comparisons} for {@code /metrics}. A pair starts
 * over when the alias or the serving version moves; after a restart the windows start empty.
 *
 * <p>For a model with {@code AUTO} promotion, the challenger becomes champion on this evidence ({@link
 * EvidenceGate}): the version is sent again with the decision recorded on it, then the alias, both to
 * the registry topic in the task's transaction.
 */
final class CompareProcessor implements Processor<String, byte[], String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(CompareProcessor.class);
    static final int REPORT_EVERY = 100;

    private final ModelCatalog catalog;
    private final FunctionStats stats;
    private final Map<String, Pair> pairs = new HashMap<>();
    private final FeatureVector x = new FeatureVector(64);
    private ProcessorContext<String, SpecificRecord> context;
    /** The challenger version each model was last promoted to here, until the view serves it. */
    private final Map<String, Long> promoted = new HashMap<>();

    /** One shadow version against one serving version. */
    private static final class Pair {
        final long version;
        final long servingVersion;
        final Comparison comparison;
        int sinceReport;

        Pair(long version, long servingVersion, Comparison comparison) {
            this.version = version;
            this.servingVersion = servingVersion;
            this.comparison = comparison;
        }
    }

    CompareProcessor(ModelCatalog catalog, FunctionStats stats) {
        this.catalog = catalog;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (!catalog.shadows().mayScore(record.key())) {
            return; // nothing to compare: not worth reading the example
        }
        ServedExample example = ServedExample.read(
                catalog, record, x, s -> s.spec().getFeatures().size());
        if (example == null) {
            return;
        }
        String model = record.key();
        ServingModel serving = example.serving();
        List<ShadowPrediction> shadows = catalog.shadows().score(serving, x);
        if (shadows == null) {
            return;
        }
        double y = example.label();
        double margin = serving.learner().margin(x);
        double output = serving.learner().output(margin);
        Integer predicted = serving.learner().predictedClass(margin);
        for (ShadowPrediction s : shadows) {
            String key = model + "/" + s.getAlias();
            Pair pair = pairs.get(key);
            if (pair == null || pair.version != s.getVersion() || pair.servingVersion != serving.version()) {
                ModelSpec spec = serving.spec();
                pair = new Pair(
                        s.getVersion(),
                        serving.version(),
                        new Comparison(Promotion.metricOrDefault(spec), Math.max(2, Promotion.windowOf(spec))));
                pairs.put(key, pair);
            }
            pair.comparison.add(s.getValue(), s.getPredictedClass(), output, predicted, y);
            if (s.getAlias().equals(Promotion.CHALLENGER)) {
                promoteOnEvidence(serving, s.getVersion(), pair.comparison);
            }
            if (++pair.sinceReport >= REPORT_EVERY) {
                pair.sinceReport = 0;
                ShadowComparison report = report(model, s.getAlias(), pair, context.currentSystemTimeMs());
                stats.comparisons.put(key, report);
                context.forward(new Record<>(key, report, report.getUpdatedAt()));
            }
        }
    }

    /**
     * With AUTO promotion, points champion at a challenger that beat the serving version on the same
     * events ({@link EvidenceGate}), after the version again with the decision recorded on it.
     */
    private void promoteOnEvidence(ServingModel serving, long challenger, Comparison comparison) {
        String model = serving.spec().getName();
        Long done = promoted.get(model);
        if (done != null && done == challenger) {
            return; // already promoted here; the view has not caught up yet
        }
        PromotionDecision decision = EvidenceGate.decide(serving.spec(), comparison, serving.version());
        ModelVersion version =
                decision == null ? null : catalog.version(model, challenger).orElse(null);
        if (version == null || RegistryView.isReleased(version)) {
            return;
        }
        long now = context.currentSystemTimeMs();
        context.forward(new Record<>(
                RegistryKeys.version(model, challenger),
                new RegistryRecord(
                        ModelVersion.newBuilder(version).setPromotion(decision).build()),
                now));
        context.forward(new Record<>(
                RegistryKeys.alias(model, RegistryView.CHAMPION),
                new RegistryRecord(new ModelAlias(model, RegistryView.CHAMPION, challenger, now)),
                now));
        promoted.put(model, challenger);
        stats.versionsPromoted.increment();
        LOG.info("Model '{}' version {} is the new champion: {}", model, challenger, decision.getReason());
    }

    static ShadowComparison report(String model, String alias, Pair pair, long now) {
        Comparison c = pair.comparison;
        return new ShadowComparison(
                model,
                alias,
                pair.version,
                pair.servingVersion,
                c.metric().key(),
                (long) c.size(),
                c.total(),
                c.shadowMetric(),
                c.servingMetric(),
                (long) c.agreements(),
                c.agreement(),
                c.difference(),
                c.ciLow(),
                c.ciHigh(),
                now);
    }
}
