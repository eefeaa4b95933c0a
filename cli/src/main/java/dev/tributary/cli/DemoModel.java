package dev.tributary.cli;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.CsvReplay;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One model of the demo: its spec, where its events come from, how many, and (for a synthetic
 * stream) what the true model itself scores.
 *
 * @param best the true model's score on the same stream (R² or accuracy), or null when unknown
 * @param labelDelayMs for a model that learns from feedback, how long after its event's prediction each
 *     label is published on the feedback topic; 0 when the label travels on the event
 */
record DemoModel(ModelSpec spec, Supplier<Iterator<Event>> events, long count, Double best, long labelDelayMs) {
    /** The demo publishes often, so versions and metrics move on screen. */
    static final long PUBLISH_EVERY = 1000;

    static final long PUBLISH_INTERVAL_MS = 1000;
    static final int DIMENSION = 5;
    /** How long after its event's prediction the feedback model's label is published. */
    static final long FEEDBACK_DELAY_MS = 3_000;
    /** How long the feedback model keeps an event waiting for its label. */
    static final long FEEDBACK_WAIT_MS = 60_000;

    String name() {
        return spec.getName();
    }

    Algorithm algorithm() {
        return spec.getAlgorithm();
    }

    /** A synthetic stream with known ground truth whose true weights change half way. */
    static DemoModel synthetic(String name, AlgorithmName algorithm, long count, long seed) {
        SyntheticStream probe = new SyntheticStream(name, algorithm.algorithm, DIMENSION, seed, count / 2);
        double best = probe.bestAchievable((int) Math.min(count, Integer.MAX_VALUE));
        ModelSpec spec = spec(name, algorithm, probe.featureNames(), List.of());
        return new DemoModel(
                spec, () -> new SyntheticStream(name, algorithm.algorithm, DIMENSION, seed, count / 2), count, best, 0);
    }

    /** A synthetic logistic stream whose labels come as feedback {@link #FEEDBACK_DELAY_MS} after the predictions. */
    static DemoModel feedback(String name, long count, long seed) {
        DemoModel inline = synthetic(name, AlgorithmName.logistic, count, seed);
        ModelSpec spec = ModelSpec.newBuilder(inline.spec())
                .setLabelWaitMs(FEEDBACK_WAIT_MS)
                .build();
        return new DemoModel(spec, inline.events(), count, inline.best(), FEEDBACK_DELAY_MS);
    }

    /** A CSV file replayed for one model: every column but the label is a feature. */
    static DemoModel csv(
            String name, AlgorithmName algorithm, Path file, String label, Set<String> categorical, long count) {
        List<String> numeric;
        try (CsvReplay csv = CsvReplay.open(file, name, label, categorical)) {
            numeric = new ArrayList<>(csv.featureColumns());
        }
        numeric.removeAll(categorical);
        ModelSpec spec = spec(name, algorithm, numeric, List.copyOf(categorical));
        return new DemoModel(spec, () -> CsvReplay.open(file, name, label, categorical), count, null, 0);
    }

    private static ModelSpec spec(
            String name, AlgorithmName algorithm, List<String> numeric, List<String> categorical) {
        LearnerConfig c = LearnerConfig.defaults(algorithm.task, numeric);
        if (!categorical.isEmpty()) {
            c = c.withCategorical(categorical, LearnerOptions.DEFAULT_HASH_BITS);
        }
        return ModelVersions.specOf(name, c, PUBLISH_EVERY, PUBLISH_INTERVAL_MS).build();
    }
}
