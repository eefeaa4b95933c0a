package dev.tributary.learn;

/** What the classifiers' losses share: labels 0 or 1, class 1 when the margin is at least 0. */
abstract class BinaryLoss implements Loss {
    private final String task;

    BinaryLoss(String task) {
        this.task = task;
    }

    @Override
    public Integer predictedClass(double m) {
        return m >= 0 ? 1 : 0;
    }

    @Override
    public boolean marginInLabelUnits() {
        return false;
    }

    @Override
    public void checkLabel(double y) {
        if (y != 0.0 && y != 1.0) {
            throw new IllegalArgumentException(task + " label must be 0 or 1, got " + y);
        }
    }
}
