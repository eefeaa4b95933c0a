package dev.tributary.functions;

import dev.tributary.model.Promotion;
import dev.tributary.model.PromotionGate;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.RegistryRecord;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a model with {@code AUTO} promotion, each new version goes through the {@link PromotionGate};
 * in the same transaction as the version, {@code champion} is pointed at it if it passes, else
 * {@code challenger}, and the decision is recorded on the version.
 */
final class ChampionPromotion {
    private static final Logger LOG = LoggerFactory.getLogger(ChampionPromotion.class);
    /** How long a version this task promoted counts as champion while this instance's view has not seen it. */
    private static final long OWN_PROMOTION_GRACE_MS = 30_000;

    private final ModelCatalog catalog;
    private final Duration unknownModelWait;
    private final FunctionStats stats;

    ChampionPromotion(ModelCatalog catalog, Duration unknownModelWait, FunctionStats stats) {
        this.catalog = catalog;
        this.unknownModelWait = unknownModelWait;
        this.stats = stats;
    }

    /** The gate's decision on {@code version}, recorded on it; null for a model without {@code AUTO} promotion. */
    PromotionDecision decide(ModelTraining t, ModelVersion version, long now) {
        if (!Promotion.isAuto(t.spec)) {
            return null;
        }
        PromotionDecision decision =
                PromotionGate.decide(t.spec, version, t.window.value(), t.window.size(), champion(t, now));
        version.setPromotion(decision);
        return decision;
    }

    /** Moves {@code champion} or {@code challenger} to the version just published, as decided. */
    void apply(
            ModelTraining t,
            ModelVersion version,
            PromotionDecision decision,
            long now,
            ProcessorContext<String, RegistryRecord> context) {
        String name = t.name();
        long number = version.getVersion();
        String alias = decision.getAccepted() ? RegistryView.CHAMPION : Promotion.CHALLENGER;
        context.forward(new Record<>(
                RegistryKeys.alias(name, alias), new RegistryRecord(new ModelAlias(name, alias, number, now)), now));
        if (decision.getAccepted()) {
            stats.versionsPromoted.increment();
            t.ownPromotion.promoted = version;
            t.ownPromotion.promotedAt = now;
            LOG.info("Model '{}' version {} is the new champion: {}", name, number, decision.getReason());
        } else {
            stats.versionsRefused.increment();
            LOG.warn(
                    "Model '{}' version {} was refused by the promotion gate and is now the challenger; champion stays "
                            + "at version {}: {}",
                    name,
                    number,
                    decision.getChampionVersion(),
                    decision.getReason());
        }
    }

    /**
     * The version {@code champion} points at, as this instance's registry view has it — unless this
     * task promoted a version that the view has not caught up with yet (versions go out faster than
     * a transaction commits), which is then the champion.
     */
    private ModelVersion champion(ModelTraining t, long now) {
        String name = t.name();
        ModelTraining.OwnPromotion own = t.ownPromotion;
        if (!own.viewChecked) {
            catalog.awaitCaughtUp(unknownModelWait); // after a restart or rebalance: decide on a current view
            own.viewChecked = true;
        }
        if (own.promoted != null) {
            boolean seen = catalog.version(name, own.promoted.getVersion()).isPresent();
            if (!seen && now - own.promotedAt < OWN_PROMOTION_GRACE_MS) {
                return own.promoted;
            }
            own.promoted = null; // the view has it (and any alias move made since): it is authoritative again
        }
        Long champion = catalog.aliases(name).get(RegistryView.CHAMPION);
        return champion == null ? null : catalog.version(name, champion).orElse(null);
    }
}
