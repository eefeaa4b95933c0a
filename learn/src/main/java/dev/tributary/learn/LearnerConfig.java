package dev.tributary.learn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything that defines a linear learner: task, optimizer, hyper-parameters and features.
 * The canonical constructor validates and throws {@link IllegalArgumentException} with a message
 * that names the offending field.
 *
 * <pre>{@code
 * LearnerConfig config = LearnerConfig.defaults(Task.REGRESSION, List.of("x1", "x2"));
 * LearnerConfig hashed = config.withCategorical(List.of("city"), 10); // 1024 buckets
 * Learner learner = Learners.create(hashed);
 * }</pre>
 *
 * @param task                what is predicted
 * @param optimizer           how weights are updated ({@link OptimizerType#PEGASOS} only for {@link Task#SVM})
 * @param learningRate        base step size, finite and &gt; 0 (ignored by Pegasos)
 * @param l2                  L2 strength, finite and &gt;= 0 (Pegasos: its lambda, must be &gt; 0)
 * @param l1                  L1 strength, finite and &gt;= 0; only ADAGRAD and FTRL support it
 * @param standardize         whether numeric features are standardised online (Welford mean and variance)
 * @param numericFeatures     numeric feature names, in weight order; no duplicates
 * @param categoricalFeatures categorical feature names, hashed into {@code 2^hashBits} buckets; no duplicates
 * @param hashBits            0 (categories ignored) to 24
 */
public record LearnerConfig(
        Task task,
        OptimizerType optimizer,
        double learningRate,
        double l2,
        double l1,
        boolean standardize,
        List<String> numericFeatures,
        List<String> categoricalFeatures,
        int hashBits) {

    /** Largest supported {@code hashBits}: 2^24 buckets are 128 MiB of weights. */
    public static final int MAX_HASH_BITS = 24;

    public LearnerConfig {
        if (task == null) {
            throw new IllegalArgumentException("task is required");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
        if (!(l1 >= 0) || Double.isInfinite(l1)) {
            throw new IllegalArgumentException("l1 must be a finite number >= 0, got " + l1);
        }
        if (hashBits < 0 || hashBits > MAX_HASH_BITS) {
            throw new IllegalArgumentException("hashBits must be between 0 and " + MAX_HASH_BITS + ", got " + hashBits);
        }
        if (optimizer == OptimizerType.PEGASOS && task != Task.SVM) {
            throw new IllegalArgumentException("optimizer PEGASOS is only for task SVM, not " + task);
        }
        if (optimizer == OptimizerType.PEGASOS && !(l2 > 0)) {
            throw new IllegalArgumentException("optimizer PEGASOS needs l2 > 0 (its lambda), got " + l2);
        }
        if (l1 > 0 && (optimizer == OptimizerType.SGD || optimizer == OptimizerType.PEGASOS)) {
            throw new IllegalArgumentException("l1 is supported by ADAGRAD and FTRL, not by " + optimizer);
        }
        numericFeatures = checkNames("numericFeatures", numericFeatures);
        categoricalFeatures =
                checkNames("categoricalFeatures", categoricalFeatures == null ? List.of() : categoricalFeatures);
    }

    /**
     * Defaults that need no tuning: AdaGrad for all three tasks (for the SVM on the hinge loss,
     * with a little L2), standardisation on, no categorical features. AdaGrad rather than Pegasos
     * for the SVM: Pegasos averages its iterates over the whole stream, so after a drift it
     * takes a long time to move (measured: 0.76 accuracy against 0.95 for the true model on a
     * stream that drifts half way), and it scores lower on spambase (0.908 against 0.915).
     */
    public static LearnerConfig defaults(Task task, List<String> numericFeatures) {
        if (task == null) {
            throw new IllegalArgumentException("task is required");
        }
        return switch (task) {
            case REGRESSION, LOGISTIC ->
                new LearnerConfig(
                        task,
                        OptimizerType.ADAGRAD,
                        defaultLearningRate(OptimizerType.ADAGRAD),
                        0.0,
                        0.0,
                        true,
                        numericFeatures,
                        List.of(),
                        0);
            case SVM ->
                new LearnerConfig(
                        task,
                        OptimizerType.ADAGRAD,
                        defaultLearningRate(OptimizerType.ADAGRAD),
                        DEFAULT_PEGASOS_L2,
                        0.0,
                        true,
                        numericFeatures,
                        List.of(),
                        0);
        };
    }

    static final double DEFAULT_PEGASOS_L2 = 1e-3;

    /** A sensible learning rate for each optimizer. */
    public static double defaultLearningRate(OptimizerType optimizer) {
        return switch (optimizer) {
            case ADAGRAD -> 1.0;
            case SGD -> 0.01;
            case FTRL -> 0.1;
            case PEGASOS -> 1.0;
        };
    }

    /** Number of weights: the numeric features, then {@code 2^hashBits} buckets if {@code hashBits > 0}. */
    public int dimension() {
        return numericFeatures.size() + (hashBits > 0 ? 1 << hashBits : 0);
    }

    /** This config with another optimizer, its default learning rate and the SVM's default lambda for Pegasos. */
    public LearnerConfig withOptimizer(OptimizerType type) {
        double newL2 = type == OptimizerType.PEGASOS && l2 == 0 ? DEFAULT_PEGASOS_L2 : l2;
        return new LearnerConfig(
                task,
                type,
                defaultLearningRate(type),
                newL2,
                l1,
                standardize,
                numericFeatures,
                categoricalFeatures,
                hashBits);
    }

    public LearnerConfig withLearningRate(double rate) {
        return new LearnerConfig(
                task, optimizer, rate, l2, l1, standardize, numericFeatures, categoricalFeatures, hashBits);
    }

    public LearnerConfig withL2(double value) {
        return new LearnerConfig(
                task, optimizer, learningRate, value, l1, standardize, numericFeatures, categoricalFeatures, hashBits);
    }

    public LearnerConfig withL1(double value) {
        return new LearnerConfig(
                task, optimizer, learningRate, l2, value, standardize, numericFeatures, categoricalFeatures, hashBits);
    }

    public LearnerConfig withStandardize(boolean value) {
        return new LearnerConfig(
                task, optimizer, learningRate, l2, l1, value, numericFeatures, categoricalFeatures, hashBits);
    }

    public LearnerConfig withCategorical(List<String> names, int bits) {
        return new LearnerConfig(task, optimizer, learningRate, l2, l1, standardize, numericFeatures, names, bits);
    }

    private static List<String> checkNames(String field, List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException(field + " is required (use an empty list for none)");
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(field + " contains a null or blank name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(field + " contains '" + name + "' twice");
            }
        }
        return List.copyOf(names);
    }
}
