package dev.tributary.cli;

import dev.tributary.functions.spec.Quantities;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a model is made of, as options. Whatever the user leaves out comes from the learners' own
 * defaults ({@link LearnerConfig#defaults}), so the CLI never invents hyper-parameters.
 */
final class SpecOptions {
    @Option(names = "--algorithm", required = true, paramLabel = "A", description = "linear, logistic or svm.")
    AlgorithmName algorithm;

    @Option(names = "--features", split = ",", paramLabel = "NAME", description = "Numeric features, in weight order.")
    List<String> features = new ArrayList<>();

    @Option(
            names = "--categorical",
            split = ",",
            paramLabel = "COLUMN",
            description = "Categorical features, hashed into 2^hash-bits buckets.")
    List<String> categorical = new ArrayList<>();

    @Option(
            names = "--hash-bits",
            paramLabel = "N",
            description = "Buckets for categorical features: 2^N (default: " + LearnerOptions.DEFAULT_HASH_BITS
                    + " with categorical features, else 0).")
    Integer hashBits;

    @Mixin
    LearnerOptions learner;

    @Option(
            names = "--publish-every",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Publish a version after N training examples (default: ${DEFAULT-VALUE}).")
    long publishEvery;

    @Option(
            names = "--publish-interval-ms",
            paramLabel = "N",
            defaultValue = "5000",
            description = "...or after N ms with new examples, whichever comes first (default: ${DEFAULT-VALUE}).")
    long publishIntervalMs;

    @Mixin
    PromotionOptions promotion;

    @Option(
            names = "--label-wait",
            paramLabel = "DURATION",
            description = {
                "Keep each event that arrives without a label waiting this long (e.g. 30s, 30m, 2h, 7d) for its "
                        + "label on the feedback topic, keyed by the event's id (default: 0, events without a label are only scored)."
            })
    String labelWait;

    @Option(
            names = "--default-label",
            paramLabel = "X",
            description = "The label an event trains with when its wait expires without feedback (default: none, it is "
                    + "dropped and counted).")
    Double defaultLabel;

    @Mixin
    DriftOptions drift;

    /** The learner configuration these options describe; IllegalArgumentException names what is wrong. */
    LearnerConfig learnerConfig() {
        return learner.config(algorithm, features, categorical, hashBits);
    }

    /** The names of a comma-separated option, trimmed ('a, b' is a and b); an empty one is refused. */
    static List<String> names(String option, List<String> given) {
        List<String> names = given.stream().map(String::trim).toList();
        if (names.contains("")) {
            throw new IllegalArgumentException(option + " has an empty name in '" + String.join(",", given)
                    + "': give names separated by commas, such as a,b,c");
        }
        for (String name : names) {
            if (names.indexOf(name) != names.lastIndexOf(name)) {
                throw new IllegalArgumentException(option + " names '" + name + "' twice");
            }
        }
        return new ArrayList<>(names);
    }

    /** The spec of model {@code name}; IllegalArgumentException names what is wrong. */
    ModelSpec toSpec(String name) {
        features = names("--features", features);
        categorical = names("--categorical", categorical);
        if (features.isEmpty() && categorical.isEmpty()) {
            throw new IllegalArgumentException(
                    "give the model's features with --features a,b,c (and/or --categorical)");
        }
        if (publishEvery < 1 || publishIntervalMs < 1) {
            throw new IllegalArgumentException("--publish-every and --publish-interval-ms must be at least 1");
        }
        ModelSpec.Builder spec = ModelVersions.specOf(name, learnerConfig(), publishEvery, publishIntervalMs)
                .setLabelWaitMs(labelWait == null ? 0 : labelWaitMs(labelWait))
                .setDefaultLabel(defaultLabel);
        return drift.applyTo(promotion.applyTo(spec)).build();
    }

    private static long labelWaitMs(String text) {
        try {
            return Quantities.duration(text).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--label-wait '" + text
                    + "' is not a duration: give a number with ms, s, m, h " + "or d, such as 30m");
        }
    }
}
