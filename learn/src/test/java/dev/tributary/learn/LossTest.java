package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossTest {

    private static final double[] MARGINS = {-7.3, -2.0, -0.61, -0.05, 0.0, 0.3, 0.77, 1.9, 4.2, 12.5};

    @ParameterizedTest
    @EnumSource(Task.class)
    void gradientMatchesCentralFiniteDifference(Task task) {
        Loss loss = task.loss();
        double[] labels = task == Task.REGRESSION ? new double[] {-3.5, 0.0, 1.0, 2.25, 40.0} : new double[] {0.0, 1.0};
        double eps = 1e-6;
        for (double y : labels) {
            for (double m : MARGINS) {
                if (task == Task.SVM && Math.abs(1 - (2 * y - 1) * m) < 1e-3) {
                    continue; // the hinge's kink has no derivative
                }
                double numeric = (loss.value(m + eps, y) - loss.value(m - eps, y)) / (2 * eps);
                assertThat(loss.gradient(m, y))
                        .as("%s m=%s y=%s", task, m, y)
                        .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void implicitGradientSolvesTheProximalEquation(Task task) {
        Loss loss = task.loss();
        double[] labels = task == Task.REGRESSION ? new double[] {-3.5, 2.25} : new double[] {0.0, 1.0};
        for (double y : labels) {
            for (double m : MARGINS) {
                for (double h : new double[] {0.0, 0.01, 0.5, 3.0, 100.0}) {
                    double g = loss.implicitGradient(m, y, h);
                    double moved = m - h * g;
                    if (task == Task.SVM) {
                        // g is a subgradient at the new margin: -s where the hinge is active, 0 beyond it, in between
                        // at the kink.
                        double s = 2 * y - 1;
                        double gap = 1 - s * moved;
                        if (gap > 1e-12) {
                            assertThat(g).isEqualTo(-s);
                        } else if (gap < -1e-12) {
                            assertThat(g).isEqualTo(0.0);
                        } else {
                            assertThat(g * -s).isBetween(0.0, 1.0);
                        }
                    } else {
                        assertThat(g)
                                .as("%s m=%s y=%s h=%s", task, m, y, h)
                                .isCloseTo(loss.gradient(moved, y), within(1e-9));
                    }
                    // never overshoots: same sign as the explicit gradient and no larger
                    double explicit = loss.gradient(m, y);
                    assertThat(g * explicit).isGreaterThanOrEqualTo(0.0);
                    assertThat(Math.abs(g)).isLessThanOrEqualTo(Math.abs(explicit) + 1e-12);
                }
            }
        }
    }

    @Test
    void implicitLogLossStepIsTheRootToRounding() {
        for (double y : new double[] {0.0, 1.0}) {
            for (double m : MARGINS) {
                for (double h : new double[] {1e-4, 0.01, 0.15, 0.5, 3.0, 100.0}) {
                    double root = bisectedLogLossRoot(m, y, h);
                    assertThat(LogLoss.INSTANCE.implicitGradient(m, y, h))
                            .as("m=%s y=%s h=%s", m, y, h)
                            .isCloseTo(root, within(1e-15));
                }
            }
        }
    }

    /** The root of {@code s - sigmoid(m - h·s) + y} by bisection down to adjacent doubles. */
    private static double bisectedLogLossRoot(double m, double y, double h) {
        double g = LogLoss.sigmoid(m) - y;
        double lo = Math.min(0, g);
        double hi = Math.max(0, g);
        while (true) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                return mid;
            }
            if (mid - LogLoss.sigmoid(m - h * mid) + y > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }

    @Test
    void outputsAndClasses() {
        assertThat(Task.REGRESSION.loss().output(2.5)).isEqualTo(2.5);
        assertThat(Task.REGRESSION.loss().predictedClass(2.5)).isNull();
        assertThat(Task.LOGISTIC.loss().output(0.0)).isEqualTo(0.5);
        assertThat(Task.LOGISTIC.loss().output(800.0)).isEqualTo(1.0);
        assertThat(Task.LOGISTIC.loss().output(-800.0)).isEqualTo(0.0);
        assertThat(Task.LOGISTIC.loss().predictedClass(0.0)).isEqualTo(1);
        assertThat(Task.LOGISTIC.loss().predictedClass(-1e-9)).isEqualTo(0);
        assertThat(Task.SVM.loss().output(-0.4)).isEqualTo(-0.4);
        assertThat(Task.SVM.loss().predictedClass(0.0)).isEqualTo(1);
        assertThat(Task.LOGISTIC.loss().value(1000, 0)).isEqualTo(1000.0); // no overflow
        assertThat(Task.LOGISTIC.loss().value(0, 1)).isCloseTo(Math.log(2), within(1e-15));
    }

    @Test
    void labelsAreChecked() {
        assertThatThrownBy(() -> Task.LOGISTIC.loss().checkLabel(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> Task.SVM.loss().checkLabel(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or 1");
        assertThatThrownBy(() -> Task.REGRESSION.loss().checkLabel(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        Task.REGRESSION.loss().checkLabel(-1e300);
        Task.LOGISTIC.loss().checkLabel(1.0);
    }
}
