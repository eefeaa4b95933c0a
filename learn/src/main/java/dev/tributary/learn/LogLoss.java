package dev.tributary.learn;

/** Log loss of {@code p = sigmoid(m)} for a label 0 or 1: logistic regression. */
final class LogLoss extends BinaryLoss {

    static final LogLoss INSTANCE = new LogLoss();

    private LogLoss() {
        super("LOGISTIC");
    }

    static double sigmoid(double m) {
        if (m >= 0) {
            return 1.0 / (1.0 + Math.exp(-m));
        }
        double e = Math.exp(m);
        return e / (1.0 + e);
    }

    @Override
    public double value(double m, double y) {
        // log(1 + e^m) - y·m, computed without overflow
        return Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - y * m;
    }

    @Override
    public double gradient(double m, double y) {
        return sigmoid(m) - y;
    }

    @Override
    public double implicitGradient(double m, double y, double h) {
        return implicitGradient(gradient(m, y), m, y, h);
    }

    /** {@link #implicitGradient(double, double, double)} given the explicit gradient {@code g = gradient(m, y)}. */
    static double implicitGradient(double g, double m, double y, double h) {
        if (g == 0 || !(h > 0)) {
            return g;
        }
        // Root of f(s) = s - sigmoid(m - h·s) + y, increasing in s, bracketed by 0 and g:
        // Newton, falling back to bisection when it leaves the bracket or stops halving |f|.
        double lo = Math.min(0, g);
        double hi = Math.max(0, g);
        double s = g / (1.0 + h * Math.abs(g) * (1.0 - Math.abs(g)));
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 200; i++) {
            double p = sigmoid(m - h * s);
            double f = s - p + y;
            if (f == 0) {
                return s;
            }
            if (f > 0) {
                hi = s;
            } else {
                lo = s;
            }
            double next = s - f / (1.0 + h * p * (1.0 - p));
            boolean newton = next > lo && next < hi && Math.abs(f) <= 0.5 * previous;
            if (!newton) {
                next = 0.5 * (lo + hi);
            }
            previous = Math.abs(f);
            // Newton converges quadratically: after a step d, the error is at most |f''|/(2f')·d² <= 0.05·h²·d²
            // (|sigmoid''| < 0.1, f' >= 1), below the rounding of s once h²·d² <= 1e-16·|s|.
            double step = next - s;
            if (next == s || hi - lo <= 1e-15 * Math.abs(s) || newton && h * h * step * step <= 1e-16 * Math.abs(s)) {
                return next;
            }
            s = next;
        }
        return s;
    }

    @Override
    public double output(double m) {
        return sigmoid(m);
    }

    @Override
    public String toString() {
        return "log";
    }
}
