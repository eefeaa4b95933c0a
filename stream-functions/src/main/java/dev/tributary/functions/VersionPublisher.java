package dev.tributary.functions;

import dev.tributary.model.ModelVersions;
import dev.tributary.model.Promotion;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.RegistryRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a model's next version to the registry topic: the learner's state, its progressive,
 * window ({@code window.<metric>}) and delayed metrics, the input offsets it learned since the last
 * version, and — for {@code AUTO} promotion — the gate's decision with the alias move ({@link
 * ChampionPromotion}). A version over the registry's size limit is not published ({@link
 * VersionSizeGuard}).
 */
final class VersionPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(VersionPublisher.class);

    private final ProcessorContext<String, RegistryRecord> context;
    private final String instanceId;
    private final FunctionStats stats;
    private final VersionSizeGuard sizeGuard;
    private final ChampionPromotion promotion;

    VersionPublisher(
            ProcessorContext<String, RegistryRecord> context,
            String instanceId,
            FunctionStats stats,
            VersionSizeGuard sizeGuard,
            ChampionPromotion promotion) {
        this.context = context;
        this.instanceId = instanceId;
        this.stats = stats;
        this.sizeGuard = sizeGuard;
        this.promotion = promotion;
    }

    void publish(ModelTraining t, long now) {
        String name = t.name();
        long parent = t.state.getCurrent().getVersion();
        long next = parent + 1;
        Map<String, Double> metrics = new LinkedHashMap<>(t.learner.metrics().values());
        if (t.window.size() > 0) {
            metrics.put(t.window.metric().windowKey(), t.window.value());
        }
        metrics.put(Promotion.WINDOW_COUNT, (double) t.window.size());
        metrics.putAll(t.delayed.values());
        ModelVersion version = ModelVersions.versionOf(
                name,
                next,
                t.learner.snapshot(),
                parent,
                t.sourceOffsets(),
                instanceId + "/" + context.taskId(),
                now,
                metrics);
        t.addDelayedState(version);
        PromotionDecision decision = promotion.decide(t, version, now);
        String key = RegistryKeys.version(name, next);
        RegistryRecord value = new RegistryRecord(version);
        if (!sizeGuard.fits(t, next, key, value, now)) {
            // As if published: the next attempt comes after another publishEvery examples, not on every example.
            t.published(
                    ModelVersion.newBuilder(version)
                            .setVersion(parent)
                            .setParentVersion(t.state.getCurrent().getParentVersion())
                            .build(),
                    now);
            return;
        }
        context.forward(new Record<>(key, value, now));
        stats.versionsPublished.increment();
        t.clearSourceOffsets();
        t.published(ModelVersion.newBuilder(version).setSourceOffsets(List.of()).build(), now);
        LOG.info(
                "Model '{}' published version {} after {} examples ({})",
                name,
                next,
                t.learner.examplesSeen(),
                metrics);
        if (decision != null) {
            promotion.apply(t, version, decision, now, context);
        }
    }
}
