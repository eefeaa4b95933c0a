package dev.tributary.learn;

/** Half squared error {@code ½(m - y)²}: linear regression. */
final class SquaredLoss implements Loss {

    static final SquaredLoss INSTANCE = new SquaredLoss();

    private SquaredLoss() {}

    @Override
    public double value(double m, double y) {
        double r = m - y;
        return 0.5 * r * r;
    }

    @Override
    public double gradient(double m, double y) {
        return m - y;
    }

    @Override
    public double implicitGradient(double m, double y, double h) {
        return (m - y) / (1.0 + h);
    }

    @Override
    public double output(double m) {
        return m;
    }

    @Override
    public Integer predictedClass(double m) {
        return null;
    }

    @Override
    public boolean marginInLabelUnits() {
        return true;
    }

    @Override
    public void checkLabel(double y) {
        if (Double.isNaN(y) || Double.isInfinite(y)) {
            throw new IllegalArgumentException("regression label must be a finite number, got " + y);
        }
    }

    @Override
    public String toString() {
        return "squared";
    }
}
