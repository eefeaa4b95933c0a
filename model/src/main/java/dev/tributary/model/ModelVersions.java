package dev.tributary.model;

import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.LearnerState;
import dev.tributary.learn.Learners;
import dev.tributary.learn.OptimizerType;
import dev.tributary.learn.Task;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.OptimizerState;
import dev.tributary.schema.Scaler;
import dev.tributary.schema.serde.Vectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Translates between registry records (Avro) and learners (plain math), in both directions. */
public final class ModelVersions {
    static {
        AvroTrust.install();
    }

    private ModelVersions() {}

    public static LearnerConfig configOf(ModelSpec spec) {
        return new LearnerConfig(
                taskOf(spec.getAlgorithm()),
                OptimizerType.valueOf(spec.getOptimizer().name()),
                spec.getLearningRate(),
                spec.getL2(),
                spec.getL1(),
                spec.getStandardize(),
                List.copyOf(spec.getFeatures()),
                List.copyOf(spec.getCategoricalFeatures()),
                spec.getHashBits());
    }

    /**
     * A spec with the learners' default hyper-parameters for {@code algorithm}, publishing a version
     * every 1,000 examples or 5 s; callers override what they need before {@code build()}.
     */
    public static ModelSpec.Builder defaultSpec(String name, Algorithm algorithm, List<String> features) {
        return specOf(name, LearnerConfig.defaults(taskOf(algorithm), features), 1000, 5000);
    }

    /** The spec of a model trained with {@code config}, publishing as given. */
    public static ModelSpec.Builder specOf(
            String name, LearnerConfig config, long publishEvery, long publishIntervalMs) {
        return ModelSpec.newBuilder()
                .setName(name)
                .setAlgorithm(algorithmOf(config.task()))
                .setFeatures(new ArrayList<>(config.numericFeatures()))
                .setCategoricalFeatures(new ArrayList<>(config.categoricalFeatures()))
                .setHashBits(config.hashBits())
                .setOptimizer(OptimizerKind.valueOf(config.optimizer().name()))
                .setLearningRate(config.learningRate())
                .setL2(config.l2())
                .setL1(config.l1())
                .setStandardize(config.standardize())
                .setPublishEvery(publishEvery)
                .setPublishIntervalMs(publishIntervalMs)
                .setCreatedAt(System.currentTimeMillis());
    }

    public static Task taskOf(Algorithm algorithm) {
        return switch (algorithm) {
            case LINEAR_REGRESSION -> Task.REGRESSION;
            case LOGISTIC_REGRESSION -> Task.LOGISTIC;
            case LINEAR_SVM -> Task.SVM;
        };
    }

    public static Algorithm algorithmOf(Task task) {
        return switch (task) {
            case REGRESSION -> Algorithm.LINEAR_REGRESSION;
            case LOGISTIC -> Algorithm.LOGISTIC_REGRESSION;
            case SVM -> Algorithm.LINEAR_SVM;
        };
    }

    /** A learner that continues from {@code version}; a version that has seen nothing starts fresh from the spec. */
    public static Learner learnerOf(ModelSpec spec, ModelVersion version) {
        LearnerConfig config = configOf(spec);
        if (version.getExamplesSeen() == 0) {
            return Learners.create(config);
        }
        return Learners.restore(stateOf(config, version));
    }

    static LearnerState stateOf(LearnerConfig config, ModelVersion v) {
        Scaler scaler = v.getScaler();
        int numeric = config.numericFeatures().size();
        double[] mean = scaler == null ? new double[numeric] : Vectors.fromBytes(scaler.getMean());
        double[] m2 = scaler == null ? new double[numeric] : Vectors.fromBytes(scaler.getM2());
        long count = scaler == null ? 0 : scaler.getCount();
        Map<String, double[]> vectors = new HashMap<>();
        v.getOptimizerState().getVectors().forEach((name, bytes) -> vectors.put(name, Vectors.fromBytes(bytes)));
        return new LearnerState(
                config,
                Vectors.fromBytes(v.getWeights()),
                v.getBias(),
                mean,
                m2,
                count,
                vectors,
                new HashMap<>(v.getOptimizerState().getScalars()),
                v.getExamplesSeen(),
                v.getUpdatesRejected(),
                new HashMap<>(v.getMetricState()));
    }

    /** The registry record of a learner's state; lineage fields are the caller's. */
    public static ModelVersion versionOf(
            String model,
            long version,
            LearnerState state,
            Long parentVersion,
            List<OffsetRange> sourceOffsets,
            String producedBy,
            long createdAt,
            Map<String, Double> metrics) {
        LearnerConfig config = state.config();
        Map<String, ByteBuffer> vectors = new HashMap<>();
        state.optimizerVectors().forEach((name, values) -> vectors.put(name, Vectors.toBytes(values)));
        Scaler scaler = config.standardize()
                ? new Scaler(
                        Vectors.toBytes(state.scalerMean()), Vectors.toBytes(state.scalerM2()), state.scalerCount())
                : null;
        return ModelVersion.newBuilder()
                .setModel(model)
                .setVersion(version)
                .setAlgorithm(algorithmOf(config.task()))
                .setFeatureNames(config.numericFeatures())
                .setCategoricalFeatures(config.categoricalFeatures())
                .setHashBits(config.hashBits())
                .setWeights(Vectors.toBytes(state.weights()))
                .setBias(state.bias())
                .setScaler(scaler)
                .setOptimizerState(new OptimizerState(
                        OptimizerKind.valueOf(config.optimizer().name()),
                        vectors,
                        new HashMap<>(state.optimizerScalars())))
                .setHyperParameters(Map.of("learningRate", config.learningRate(), "l2", config.l2(), "l1", config.l1()))
                .setExamplesSeen(state.examplesSeen())
                .setUpdatesRejected(state.updatesRejected())
                .setMetrics(metrics)
                .setMetricState(new HashMap<>(state.metricState()))
                .setParentVersion(parentVersion)
                .setSourceOffsets(sourceOffsets)
                .setProducedBy(producedBy)
                .setCreatedAt(createdAt)
                .build();
    }
}
