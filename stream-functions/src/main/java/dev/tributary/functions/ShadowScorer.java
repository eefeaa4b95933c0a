package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.model.Promotion;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.ShadowPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores an event with a model's shadow versions — the one its {@code challenger} alias points at and
 * those of the aliases its spec lists in {@code shadowAliases} — on the features the serving version
 * already filled in: one more dot product per shadow. An alias that points at the serving version, or
 * at a version this view does not hold whole, is left out. Each shadow version is decoded once, the
 * first time it is needed, and dropped when its alias moves on. Thread-safe.
 *
 * <pre>{@code
 * List<ShadowPrediction> shadows = scorer.score(serving, x);   // null when the model has none
 * prediction.setShadows(shadows);
 * }</pre>
 */
public final class ShadowScorer {
    private final RegistryView view;
    /** Decoded shadow versions by model and alias. */
    private final Map<String, ServingModel> decoded = new ConcurrentHashMap<>();

    public ShadowScorer(RegistryView view) {
        this.view = view;
    }

    /** The shadow versions' answers for features {@code x} that {@code serving} filled; null if none. */
    /** Whether {@code model} has an alias at all: without one, {@link #score} has nothing to answer. */
    public boolean mayScore(String model) {
        return model != null && !view.aliases(model).isEmpty();
    }

    public List<ShadowPrediction> score(ServingModel serving, FeatureVector x) {
        ModelSpec spec = serving.spec();
        String model = spec.getName();
        Map<String, Long> aliases = view.aliases(model);
        if (aliases.isEmpty()) {
            return null;
        }
        List<ShadowPrediction> answers = null;
        answers = add(answers, serving, x, Promotion.CHALLENGER, aliases);
        for (String alias : spec.getShadowAliases()) {
            if (!alias.equals(Promotion.CHALLENGER)) {
                answers = add(answers, serving, x, alias, aliases);
            }
        }
        return answers;
    }

    private List<ShadowPrediction> add(
            List<ShadowPrediction> answers,
            ServingModel serving,
            FeatureVector x,
            String alias,
            Map<String, Long> aliases) {
        Long version = aliases.get(alias);
        if (version == null || version == serving.version()) {
            return answers;
        }
        ServingModel shadow = shadow(serving.spec(), alias, version);
        if (shadow == null) {
            return answers;
        }
        double margin = shadow.learner().margin(x);
        List<ShadowPrediction> out = answers == null ? new ArrayList<>(2) : answers;
        out.add(new ShadowPrediction(
                alias,
                version,
                shadow.learner().output(margin),
                shadow.learner().predictedClass(margin)));
        return out;
    }

    private ServingModel shadow(ModelSpec spec, String alias, long version) {
        String key = spec.getName() + "/" + alias;
        ServingModel held = decoded.get(key);
        if (held != null && held.version() == version && held.spec() == spec) {
            return held;
        }
        ModelVersion v = view.version(spec.getName(), version).orElse(null);
        if (v == null || RegistryView.isReleased(v)) {
            decoded.remove(key);
            return null;
        }
        ServingModel fresh;
        try {
            fresh = ServingModel.decode(spec, v);
        } catch (RuntimeException e) {
            decoded.remove(key);
            return null; // a shadow that cannot be decoded is left out; the prediction itself does not depend on it
        }
        decoded.put(key, fresh);
        return fresh;
    }
}
