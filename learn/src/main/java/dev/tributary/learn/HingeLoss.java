package dev.tributary.learn;

/** Hinge loss {@code max(0, 1 - s·m)} with {@code s = 2y - 1} for a label 0 or 1: the linear SVM. */
final class HingeLoss extends BinaryLoss {

    static final HingeLoss INSTANCE = new HingeLoss();

    private HingeLoss() {
        super("SVM");
    }

    @Override
    public double value(double m, double y) {
        return Math.max(0.0, 1.0 - (2 * y - 1) * m);
    }

    @Override
    public double gradient(double m, double y) {
        double s = 2 * y - 1;
        return s * m < 1.0 ? -s : 0.0;
    }

    @Override
    public double implicitGradient(double m, double y, double h) {
        double s = 2 * y - 1;
        double gap = 1.0 - s * m;
        if (gap <= 0) {
            return 0.0;
        }
        // Passive-aggressive: move the margin at most up to 1.
        return h > gap ? -s * gap / h : -s;
    }

    @Override
    public double output(double m) {
        return m;
    }

    @Override
    public String toString() {
        return "hinge";
    }
}
