package dev.tributary.cli;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.OptimizerType;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.PromotionPolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What a model is made of, as options. Whatever the user leaves out comes from the learners' own
 * defaults ({@link LearnerConfig#defaults}), so the CLI never invents hyper-parameters.
 */
final class SpecOptions {
    /** Buckets for categorical features when --hash-bits is not given: 2^10 = 1024. */
    static final int DEFAULT_HASH_BITS = 10;

    enum Optimizer {
        adagrad(OptimizerType.ADAGRAD),
        sgd(OptimizerType.SGD),
        ftrl(OptimizerType.FTRL),
        pegasos(OptimizerType.PEGASOS);

        final OptimizerType type;

        Optimizer(OptimizerType type) {
            this.type = type;
        }
    }

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
            description = "Buckets for categorical features: 2^N (default: " + DEFAULT_HASH_BITS
                    + " with categorical features, else 0).")
    Integer hashBits;

    @Option(
            names = "--optimizer",
            paramLabel = "O",
            description = "adagrad, sgd, ftrl or pegasos (default: adagrad; pegasos for svm).")
    Optimizer optimizer;

    @Option(names = "--learning-rate", paramLabel = "X", description = "Base step size (default: the optimizer's own).")
    Double learningRate;

    @Option(names = "--l2", paramLabel = "X", description = "L2 regularization (default: 0; 1e-4 for pegasos).")
    Double l2;

    @Option(names = "--l1", paramLabel = "X", description = "L1 regularization, adagrad and ftrl only (default: 0).")
    Double l1;

    @Option(names = "--no-standardize", description = "Do not standardize numeric features online.")
    boolean noStandardize;

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

    enum Promotion {
        manual(PromotionPolicy.MANUAL),
        auto(PromotionPolicy.AUTO);

        final PromotionPolicy policy;

        Promotion(PromotionPolicy policy) {
            this.policy = policy;
        }
    }

    @Option(
            names = "--promotion",
            paramLabel = "P",
            defaultValue = "manual",
            description = {
                "manual: champion moves only by command (default);",
                "auto: each new version that passes the gate (finite weights, bounded norm, window metric no worse than "
                        + "the champion's by more than the margin) becomes champion, the others challenger."
            })
    Promotion promotion;

    @Option(
            names = "--promotion-metric",
            paramLabel = "M",
            description =
                    "The metric the gate compares over the window: accuracy or logloss for classifiers, rmse or mae "
                            + "for regression (default: accuracy, rmse).")
    String promotionMetric;

    @Option(
            names = "--promotion-margin",
            paramLabel = "X",
            defaultValue = "0.01",
            description =
                    "How much worse than the champion's, in the metric's units, a version may be and still be promoted "
                            + "(default: ${DEFAULT-VALUE}).")
    double promotionMargin;

    @Option(
            names = "--promotion-window",
            paramLabel = "N",
            defaultValue = "1000",
            description = "The gate's metric covers the last N training examples (default: ${DEFAULT-VALUE}).")
    long promotionWindow;

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

    enum Drift {
        none(DriftDetection.NONE),
        adwin(DriftDetection.ADWIN),
        page_hinkley(DriftDetection.PAGE_HINKLEY);

        final DriftDetection detection;

        Drift(DriftDetection detection) {
            this.detection = detection;
        }

        /** As users write it: {@code page-hinkley}. */
        @Override
        public String toString() {
            return name().replace('_', '-');
        }

        static Drift parse(String text) {
            for (Drift d : values()) {
                if (d.toString().equalsIgnoreCase(text.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException(
                    "--drift '" + text + "' is not a detector: use none, adwin or page-hinkley");
        }
    }

    enum OnDrift {
        none(DriftReaction.NONE),
        challenger(DriftReaction.CHALLENGER);

        final DriftReaction reaction;

        OnDrift(DriftReaction reaction) {
            this.reaction = reaction;
        }
    }

    @Option(
            names = "--drift",
            paramLabel = "D",
            defaultValue = "none",
            converter = DriftConverter.class,
            description = {
                "A detector that watches the serving version's per-event error on the labelled events and "
                        + "writes an alert to tributary.alerts when it rises: none (default), adwin (delta 0.002) or page-hinkley "
                        + "(delta 0.005, lambda 50, alpha 0.9999)."
            })
    Drift drift;

    @Option(
            names = "--on-drift",
            paramLabel = "R",
            defaultValue = "none",
            description = {
                "What the train function does on a drift alert: none (default, alert only) or challenger (also "
                        + "train a fresh learner alongside, which takes over once it beats the model on the same examples)."
            })
    OnDrift onDrift;

    @Option(
            names = "--shadow",
            split = ",",
            paramLabel = "ALIAS",
            description =
                    "Aliases whose versions also score every event, next to the challenger, into each prediction's "
                            + "shadows (default: none besides the challenger).")
    List<String> shadows = new ArrayList<>();

    static final class DriftConverter implements picocli.CommandLine.ITypeConverter<Drift> {
        @Override
        public Drift convert(String value) {
            return Drift.parse(value);
        }
    }

    /** The learner configuration these options describe; IllegalArgumentException names what is wrong. */
    LearnerConfig learnerConfig() {
        LearnerConfig config = LearnerConfig.defaults(algorithm.task, features);
        if (optimizer != null && optimizer.type != config.optimizer()) {
            config = config.withOptimizer(optimizer.type);
        }
        if (learningRate != null) {
            config = config.withLearningRate(learningRate);
        }
        if (l2 != null) {
            config = config.withL2(l2);
        }
        if (l1 != null) {
            config = config.withL1(l1);
        }
        if (noStandardize) {
            config = config.withStandardize(false);
        }
        int bits = hashBits != null ? hashBits : categorical.isEmpty() ? 0 : DEFAULT_HASH_BITS;
        if (!categorical.isEmpty() || bits != 0) {
            config = config.withCategorical(categorical, bits);
        }
        return config;
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
        return ModelVersions.specOf(name, learnerConfig(), publishEvery, publishIntervalMs)
                .setPromotion(promotion.policy)
                .setPromotionMetric(
                        promotionMetric == null ? "" : promotionMetric.trim().toLowerCase(java.util.Locale.ROOT))
                .setPromotionMargin(promotionMargin)
                .setPromotionWindow(promotionWindow)
                .setLabelWaitMs(labelWait == null ? 0 : labelWaitMs(labelWait))
                .setDefaultLabel(defaultLabel)
                .setDrift(drift.detection)
                .setOnDrift(onDrift.reaction)
                .setShadowAliases(new ArrayList<>(shadows))
                .build();
    }

    private static long labelWaitMs(String text) {
        try {
            return dev.tributary.functions.spec.Quantities.duration(text).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--label-wait '" + text
                    + "' is not a duration: give a number with ms, s, m, h " + "or d, such as 30m");
        }
    }

    /** One line describing a spec, for confirmations. */
    static String describe(ModelSpec s) {
        StringBuilder d = new StringBuilder();
        d.append(s.getAlgorithm()).append(", features ").append(String.join(",", s.getFeatures()));
        if (!s.getCategoricalFeatures().isEmpty()) {
            d.append(", categorical ")
                    .append(String.join(",", s.getCategoricalFeatures()))
                    .append(" in 2^")
                    .append(s.getHashBits())
                    .append(" buckets");
        }
        d.append("; ")
                .append(s.getOptimizer().name().toLowerCase())
                .append(", learning rate ")
                .append(s.getLearningRate())
                .append(", l2 ")
                .append(s.getL2())
                .append(", l1 ")
                .append(s.getL1())
                .append(s.getStandardize() ? ", standardized" : ", not standardized")
                .append("; a version every ")
                .append(s.getPublishEvery())
                .append(" examples or ")
                .append(s.getPublishIntervalMs())
                .append(" ms");
        if (s.getPromotion() == PromotionPolicy.AUTO) {
            String metric = s.getPromotionMetric().isEmpty()
                    ? dev.tributary.model.Promotion.Metric.defaultFor(s.getAlgorithm())
                            .key()
                    : s.getPromotionMetric();
            d.append("; auto promotion on ")
                    .append(metric)
                    .append(" over the last ")
                    .append(s.getPromotionWindow())
                    .append(" examples, margin ")
                    .append(s.getPromotionMargin());
        } else {
            d.append("; manual promotion");
        }
        if (s.getLabelWaitMs() > 0) {
            d.append("; labels awaited ")
                    .append(s.getLabelWaitMs())
                    .append(" ms")
                    .append(s.getDefaultLabel() == null ? ", then dropped" : ", then " + s.getDefaultLabel());
        }
        if (!s.getShadowAliases().isEmpty()) {
            d.append("; shadows ").append(String.join(",", s.getShadowAliases()));
        }
        if (s.getDrift() != DriftDetection.NONE) {
            d.append("; drift watched by ")
                    .append(s.getDrift().name().toLowerCase().replace('_', '-'))
                    .append(s.getOnDrift() == DriftReaction.CHALLENGER ? ", a challenger trained on drift" : "");
        }
        return d.toString();
    }
}
