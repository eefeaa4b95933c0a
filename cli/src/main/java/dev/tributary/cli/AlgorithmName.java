package dev.tributary.cli;

import dev.tributary.learn.Task;
import dev.tributary.schema.Algorithm;

/** The algorithm names the CLI accepts. */
enum AlgorithmName {
    linear(Algorithm.LINEAR_REGRESSION, Task.REGRESSION),
    logistic(Algorithm.LOGISTIC_REGRESSION, Task.LOGISTIC),
    svm(Algorithm.LINEAR_SVM, Task.SVM);

    final Algorithm algorithm;
    final Task task;

    AlgorithmName(Algorithm algorithm, Task task) {
        this.algorithm = algorithm;
        this.task = task;
    }

    static AlgorithmName of(Algorithm algorithm) {
        for (AlgorithmName a : values()) {
            if (a.algorithm == algorithm) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm " + algorithm);
    }
}
