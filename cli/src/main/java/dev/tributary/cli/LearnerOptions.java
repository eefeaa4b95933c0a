package dev.tributary.cli;

import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.OptimizerType;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a learner learns, as options: the optimizer, its step size, regularization and online
 * standardization. What the user leaves out comes from the learners' own defaults ({@link
 * LearnerConfig#defaults}), so the CLI never invents hyper-parameters.
 */
final class LearnerOptions {
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

    @Option(
            names = "--optimizer",
            paramLabel = "O",
            description = "adagrad (default), sgd, ftrl (logistic), or pegasos (svm).")
    Optimizer optimizer;

    @Option(names = "--learning-rate", paramLabel = "X", description = "Base step size (default: the optimizer's own).")
    Double learningRate;

    @Option(names = "--l2", paramLabel = "X", description = "L2 regularization (default: the learners' own).")
    Double l2;

    @Option(names = "--l1", paramLabel = "X", description = "L1 regularization, adagrad and ftrl only (default: 0).")
    Double l1;

    @Option(names = "--no-standardize", description = "Do not standardize numeric features online.")
    boolean noStandardize;

    /**
     * The configuration of a learner of {@code algorithm} on these features, with these options over
     * the learners' defaults; IllegalArgumentException names what is wrong.
     *
     * @param hashBits buckets for the categorical features as 2^hashBits, or null for the default
     *     ({@link #DEFAULT_HASH_BITS} with categorical features, else none)
     */
    LearnerConfig config(AlgorithmName algorithm, List<String> numeric, List<String> categorical, Integer hashBits) {
        LearnerConfig config = LearnerConfig.defaults(algorithm.task, numeric);
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
}
