package dev.tributary.learn;

/**
 * The loss of one example as a function of the margin {@code m = w·x + b}, with its link
 * (output) and decision rule. One linear core ({@link LinearLearner}) serves every task by
 * swapping the loss.
 *
 * <pre>{@code
 * Loss loss = Task.LOGISTIC.loss();
 * double g = loss.gradient(0.3, 1.0);   // sigmoid(0.3) - 1
 * double p = loss.output(0.3);          // P(y=1)
 * }</pre>
 */
public interface Loss {

    /** Loss of margin {@code m} for label {@code y}. */
    double value(double m, double y);

    /** Derivative of the loss with respect to the margin (a subgradient at a kink). */
    double gradient(double m, double y);

    /**
     * The gradient {@code g} of an implicit (proximal) step: the solution of
     * {@code g = gradient(m - h·g, y)} when an update of {@code -rate·g·x} moves the margin by
     * {@code -h·g}. Unlike the explicit gradient it never pushes the margin past the point where
     * the loss stops decreasing, whatever the step size {@code h >= 0}.
     */
    double implicitGradient(double m, double y, double h);

    /** What the model reports for margin {@code m}: the regression value, P(y=1), or the SVM margin. */
    double output(double m);

    /** Predicted class for margin {@code m}: null for regression, else 0 or 1. */
    Integer predictedClass(double m);

    /** True when the margin is measured in the label's units (regression), so step sizes must scale with it. */
    boolean marginInLabelUnits();

    /** Throws {@link IllegalArgumentException} unless {@code y} is a valid label for this loss. */
    void checkLabel(double y);
}
