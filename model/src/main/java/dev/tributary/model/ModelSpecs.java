package dev.tributary.model;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerState;
import dev.tributary.schema.Scaler;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.Vectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place a {@link ModelSpec} is checked, sized and turned into version 0. Whoever publishes
 * a spec (the CLI, the gateway, a test, another client through {@code ModelRegistry}) goes through
 * {@link #validate}, which applies the learner's own rules by building its {@link LearnerConfig}:
 * a spec that passes here is one every scorer and trainer can load.
 *
 * <pre>{@code
 * ModelSpec spec = ModelVersions.defaultSpec("fraud", Algorithm.LOGISTIC_REGRESSION, List.of("amount")).build();
 * ModelSpecs.validate(spec);                      // throws IllegalArgumentException with the reason
 * ModelVersion v0 = ModelSpecs.initialVersion(spec, System.currentTimeMillis());
 * }</pre>
 */
public final class ModelSpecs {
    static {
        AvroTrust.install();
    }

    /** What version 0 carries in {@code producedBy}. */
    public static final String PRODUCED_BY = "registry";
    /** Room left for the record batch and headers around a registry record's key and value. */
    public static final int RECORD_OVERHEAD_BYTES = 512;
    /** The largest record the registry topic takes once batch overhead is left out. */
    public static final int REGISTRY_RECORD_LIMIT = Topics.REGISTRY_MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES;

    private ModelSpecs() {}

    /** True for a valid model (or alias) name: 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static boolean isValidName(String name) {
        return name != null && EventDecoder.MODEL_NAME.matcher(name).matches();
    }

    /**
     * Checks a spec: its name, the learner's rules (algorithm, optimizer, rates, regularisation,
     * features, hashBits), publication cadence, promotion policy, and that a trained version fits a
     * registry record.
     *
     * @throws IllegalArgumentException with one sentence saying what is wrong and what to do
     */
    public static void validate(ModelSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("model spec is null");
        }
        String name = spec.getName();
        if (!isValidName(name)) {
            throw new IllegalArgumentException("model name '" + name
                    + "' is invalid: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String m = "model '" + name + "': ";
        if (spec.getAlgorithm() == null) {
            throw new IllegalArgumentException(m + "algorithm is missing");
        }
        if (spec.getOptimizer() == null) {
            throw new IllegalArgumentException(m + "optimizer is missing");
        }
        List<String> numeric = spec.getFeatures() == null ? List.of() : spec.getFeatures();
        List<String> categorical = spec.getCategoricalFeatures() == null ? List.of() : spec.getCategoricalFeatures();
        int hashBits = spec.getHashBits();
        if (numeric.isEmpty() && (categorical.isEmpty() || hashBits == 0)) {
            throw new IllegalArgumentException(m + "no usable features: declare at least one numeric feature, "
                    + "or categorical features with hashBits > 0");
        }
        if (!categorical.isEmpty() && hashBits == 0) {
            throw new IllegalArgumentException(
                    m + "categorical features " + categorical
                            + " are declared but hashBits is 0, which ignores them; set hashBits (for example 10 for 1024 buckets)");
        }
        Set<String> seen = new HashSet<>();
        for (List<String> names : List.of(numeric, categorical)) {
            for (String f : names) {
                if (f == null || f.isBlank()) {
                    throw new IllegalArgumentException(m + "a feature name is empty");
                }
                if (!seen.add(f)) {
                    throw new IllegalArgumentException(m + "feature '" + f + "' is declared more than once");
                }
            }
        }
        LearnerConfig config;
        try {
            config = ModelVersions.configOf(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(m + e.getMessage(), e);
        }
        if (spec.getPublishEvery() <= 0) {
            throw new IllegalArgumentException(m + "publishEvery must be > 0 examples, not " + spec.getPublishEvery());
        }
        if (spec.getPublishIntervalMs() <= 0) {
            throw new IllegalArgumentException(m + "publishIntervalMs must be > 0, not " + spec.getPublishIntervalMs());
        }
        Promotion.validate(spec, m);
        checkLabelWait(spec, m);
        checkDrift(spec, m);
        long estimate = estimatedVersionBytes(config);
        if (estimate > REGISTRY_RECORD_LIMIT) {
            int fits = hashBits;
            while (fits > 0
                    && estimatedVersionBytes(config.withCategorical(config.categoricalFeatures(), fits))
                            > REGISTRY_RECORD_LIMIT) {
                fits--;
            }
            throw new IllegalArgumentException(String.format(
                    "%sa version would hold %,d weights plus %s optimizer state, about %,d bytes, over the registry's limit "
                            + "of %,d bytes per record; lower hashBits from %d to %d or less",
                    m,
                    config.dimension(),
                    spec.getOptimizer(),
                    estimate,
                    (long) Topics.REGISTRY_MAX_MESSAGE_BYTES,
                    hashBits,
                    fits));
        }
    }

    /** The longest label wait: what a pending event's store keeps is bounded by it. */
    public static final long MAX_LABEL_WAIT_MS = java.util.concurrent.TimeUnit.DAYS.toMillis(30);

    private static void checkLabelWait(ModelSpec spec, String m) {
        long wait = spec.getLabelWaitMs();
        if (wait < 0 || wait > MAX_LABEL_WAIT_MS) {
            throw new IllegalArgumentException(
                    m + "labelWaitMs must be between 0 (no wait) and " + MAX_LABEL_WAIT_MS + " (30 days), not " + wait);
        }
        Double label = spec.getDefaultLabel();
        if (label == null) {
            return;
        }
        if (wait == 0) {
            throw new IllegalArgumentException(
                    m + "a defaultLabel applies when a label wait expires; set labelWaitMs too");
        }
        if (!Double.isFinite(label)) {
            throw new IllegalArgumentException(m + "defaultLabel must be a finite number, not " + label);
        }
        if (ModelVersions.taskOf(spec.getAlgorithm()) != dev.tributary.learn.Task.REGRESSION
                && label != 0.0
                && label != 1.0) {
            throw new IllegalArgumentException(m + "defaultLabel of a classifier must be 0 or 1, not " + label);
        }
    }

    private static void checkDrift(ModelSpec spec, String m) {
        if (spec.getDrift() == null) {
            throw new IllegalArgumentException(m + "drift is missing: use NONE, ADWIN or PAGE_HINKLEY");
        }
        if (spec.getOnDrift() == null) {
            throw new IllegalArgumentException(m + "onDrift is missing: use NONE or CHALLENGER");
        }
        if (spec.getOnDrift() != DriftReaction.NONE && spec.getDrift() == DriftDetection.NONE) {
            throw new IllegalArgumentException(m + "onDrift " + spec.getOnDrift()
                    + " reacts to a drift detector; choose one with drift ADWIN or PAGE_HINKLEY");
        }
        List<String> shadows = spec.getShadowAliases() == null ? List.of() : spec.getShadowAliases();
        if (shadows.size() > MAX_SHADOWS) {
            throw new IllegalArgumentException(m + "at most " + MAX_SHADOWS
                    + " shadow aliases (each costs a prediction " + "per event), not " + shadows.size());
        }
        for (String alias : shadows) {
            if (!isValidName(alias) || "champion".equals(alias)) {
                throw new IllegalArgumentException(
                        m + "shadow alias '" + alias + "' is invalid: use an alias name other "
                                + "than champion (1-128 letters, digits, '.', '_' or '-')");
            }
        }
    }

    /** The most shadow aliases a spec may list, besides the challenger. */
    public static final int MAX_SHADOWS = 8;

    /** Numeric features, then 2^hashBits hashed buckets if hashBits > 0. The bias is separate. */
    public static long weightCount(int numericFeatures, int hashBits) {
        return numericFeatures + (hashBits > 0 ? 1L << hashBits : 0L);
    }

    /**
     * A trained version's size in the registry: the learner's state and room for names and metrics
     * (a classifier's metric state holds up to 128 AUC bins, about 24 bytes each).
     */
    static long estimatedVersionBytes(LearnerConfig config) {
        return Double.BYTES * Learners.stateDoubles(config)
                + 64L * config.numericFeatures().size()
                + 4096
                + 128 * 24;
    }

    /**
     * The size of a trainer's checkpoint of a model of {@code spec}: the learner's state and the
     * promotion window. The train function journals examples instead while they are fewer bytes.
     */
    public static long checkpointBytes(ModelSpec spec) {
        return Double.BYTES * (Learners.stateDoubles(ModelVersions.configOf(spec)) + Promotion.windowOf(spec)) + 1024;
    }

    /**
     * Version 0 of a spec: all-zero weights, bias 0, a zero scaler if the spec standardizes, empty
     * optimizer state of the spec's optimizer, no metrics, no parent.
     */
    public static ModelVersion initialVersion(ModelSpec spec, long createdAt) {
        int numeric = spec.getFeatures().size();
        long weights = weightCount(numeric, spec.getHashBits());
        if (weights > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException(
                    "model '" + spec.getName() + "' would have " + weights + " weights: lower hashBits");
        }
        Scaler scaler = spec.getStandardize()
                ? Scaler.newBuilder()
                        .setMean(Vectors.toBytes(new double[numeric]))
                        .setM2(Vectors.toBytes(new double[numeric]))
                        .setCount(0)
                        .build()
                : null;
        Map<String, Double> hyper = new LinkedHashMap<>();
        hyper.put("learningRate", spec.getLearningRate());
        hyper.put("l2", spec.getL2());
        hyper.put("l1", spec.getL1());
        return ModelVersion.newBuilder()
                .setModel(spec.getName())
                .setVersion(0)
                .setAlgorithm(spec.getAlgorithm())
                .setFeatureNames(new ArrayList<>(spec.getFeatures()))
                .setCategoricalFeatures(new ArrayList<>(spec.getCategoricalFeatures()))
                .setHashBits(spec.getHashBits())
                .setWeights(Vectors.toBytes(new double[(int) weights]))
                .setBias(0.0)
                .setScaler(scaler)
                .setOptimizerState(OptimizerState.newBuilder()
                        .setKind(spec.getOptimizer())
                        .setVectors(new HashMap<>())
                        .setScalars(new HashMap<>())
                        .build())
                .setHyperParameters(hyper)
                .setExamplesSeen(0)
                .setUpdatesRejected(0)
                .setMetrics(new HashMap<>())
                .setMetricState(new HashMap<>())
                .setParentVersion(null)
                .setSourceOffsets(new ArrayList<>())
                .setProducedBy(PRODUCED_BY)
                .setCreatedAt(createdAt)
                .build();
    }

    /**
     * Checks that a version's weights fit its features and hashBits.
     *
     * @throws IllegalArgumentException naming the version and the counts
     */
    public static void checkWeights(ModelVersion v) {
        int hashBits = v.getHashBits();
        String m = "version " + v.getVersion() + " of model '" + v.getModel() + "': ";
        if (hashBits < 0 || hashBits > LearnerConfig.MAX_HASH_BITS) {
            throw new IllegalArgumentException(
                    m + "hashBits must be between 0 and " + LearnerConfig.MAX_HASH_BITS + ", not " + hashBits);
        }
        long expected = weightCount(v.getFeatureNames().size(), hashBits);
        long bytes = v.getWeights().remaining();
        if (bytes != expected * Double.BYTES) {
            throw new IllegalArgumentException(m + "has " + (bytes / (double) Double.BYTES) + " weights but its "
                    + v.getFeatureNames().size() + " numeric features and hashBits=" + hashBits + " need " + expected);
        }
    }
}
