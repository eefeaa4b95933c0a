package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.drift.DriftDetector;
import dev.tributary.learn.drift.Increases;
import dev.tributary.learn.drift.PerEventError;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.OffsetRange;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches, for each model whose spec names a drift detector, the serving version's error on every
 * labelled example the train function receives (1 for a misclassified example, 0 else; the absolute
 * error for regression), scored as this instance serves it. When the detector finds the error rose
 * it forwards a {@link DriftAlert} (to the alerts topic, in the task's transaction), logs it, counts
 * it in {@link FunctionStats#driftAlerts}, and for a model with {@code onDrift CHALLENGER} asks the
 * train processor of the task for a challenger ({@link DriftSignals}).
 *
 * <p>Detectors live in memory: after a restart or a rebalance a task's detectors start over from
 * the next example (their state is a few hundred numbers, rebuilt within one detection delay).
 */
final class DriftProcessor implements Processor<String, byte[], String, DriftAlert> {
    private static final Logger LOG = LoggerFactory.getLogger(DriftProcessor.class);

    private final ModelCatalog catalog;
    private final FunctionStats stats;
    private final String instanceId;
    private final DriftSignals signals;
    private final Map<String, Watch> watches = new HashMap<>();
    private final FeatureVector x = new FeatureVector(64);
    private ProcessorContext<String, DriftAlert> context;

    /** One model's detector, for the detection its spec names. */
    private record Watch(DriftDetection detection, DriftDetector detector) {}

    DriftProcessor(ModelCatalog catalog, FunctionStats stats, String instanceId, DriftSignals signals) {
        this.catalog = catalog;
        this.stats = stats;
        this.instanceId = instanceId;
        this.signals = signals;
    }

    @Override
    public void init(ProcessorContext<String, DriftAlert> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String model = record.key();
        ModelSpec spec = model == null ? null : catalog.spec(model).orElse(null);
        if (spec == null || spec.getDrift() == DriftDetection.NONE) {
            return;
        }
        // An input value written by an earlier release is learned but not watched.
        ServedExample example =
                ServedExample.read(catalog, record, x, s -> spec.getFeatures().size());
        if (example == null) {
            return;
        }
        ServingModel serving = example.serving();
        Watch watch = watches.get(model);
        if (watch == null || watch.detection() != spec.getDrift()) {
            watch = new Watch(spec.getDrift(), new Increases(DriftDetector.of(detectorName(spec.getDrift()))));
            watches.put(model, watch);
        }
        double y = example.label();
        double error = PerEventError.of(serving.learner(), serving.learner().margin(x), y);
        if (!watch.detector().update(error)) {
            return;
        }
        DriftDetector d = watch.detector();
        long now = context.currentSystemTimeMs();
        OffsetRange source = SourceHeaders.source(record.headers())
                .map(s -> new OffsetRange(s.topic(), s.partition(), s.offset(), s.offset()))
                .orElse(null);
        String metric = spec.getAlgorithm() == Algorithm.LINEAR_REGRESSION ? "absolute error" : "error";
        DriftAlert alert = new DriftAlert(
                model,
                serving.version(),
                d.name(),
                metric,
                d.count(),
                d.meanBefore(),
                d.meanAfter(),
                now,
                source,
                instanceId + "/" + context.taskId());
        stats.driftAlerts.increment();
        boolean challenger = spec.getOnDrift() == DriftReaction.CHALLENGER;
        LOG.warn(
                "Model '{}' drifted: {} found its {} rose from {} to {} on version {} after {} labelled examples{}",
                model,
                d.name(),
                metric,
                String.format("%.4f", d.meanBefore()),
                String.format("%.4f", d.meanAfter()),
                serving.version(),
                d.count(),
                challenger ? "; a challenger starts training" : "");
        if (challenger) {
            signals.challengerWanted(context.taskId(), model);
        }
        context.forward(new Record<>(model, alert, now));
    }

    /** The detector's name as {@link DriftDetector#of} knows it. */
    static String detectorName(DriftDetection detection) {
        return detection.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
