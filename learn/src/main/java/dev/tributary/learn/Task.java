package dev.tributary.learn;

/**
 * What a linear learner predicts, and so which loss it minimises. Maps 1:1 to the registry's
 * algorithms {@code LINEAR_REGRESSION}, {@code LOGISTIC_REGRESSION} and {@code LINEAR_SVM}.
 *
 * <pre>{@code
 * Task task = Task.LOGISTIC;
 * Loss loss = task.loss();            // log loss, labels 0 or 1
 * boolean classifier = task.isClassifier();
 * }</pre>
 */
public enum Task {
    /** Squared loss, any finite label; outputs w·x + b. */
    REGRESSION,
    /** Log loss, labels 0/1; outputs P(y=1) = sigmoid(w·x + b). */
    LOGISTIC,
    /** Hinge loss, labels 0/1 (used as -1/+1); outputs the margin w·x + b. */
    SVM;

    /** The loss this task minimises. */
    public Loss loss() {
        return switch (this) {
            case REGRESSION -> SquaredLoss.INSTANCE;
            case LOGISTIC -> LogLoss.INSTANCE;
            case SVM -> HingeLoss.INSTANCE;
        };
    }

    /** True for the tasks whose labels are 0 or 1. */
    public boolean isClassifier() {
        return this != REGRESSION;
    }
}
