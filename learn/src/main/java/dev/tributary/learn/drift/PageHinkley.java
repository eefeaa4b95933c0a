package dev.tributary.learn.drift;

/**
 * The Page-Hinkley test for an increase of the mean, as MOA's {@code PageHinkleyDM} computes it: a
 * cumulative sum of each value's deviation from the running mean, less a tolerance δ, faded by α;
 * a change is declared when the sum exceeds λ. Watching a model's error, only increases matter.
 * After a detection the test starts over from the next value. The change point reported is where
 * the sum was lowest, the classic Page-Hinkley estimate.
 *
 * <pre>{@code
 * PageHinkley ph = new PageHinkley(0.005, 50, 0.9999, 30);
 * for (int i = 0; i < 2_000; i++) {
 *   if (ph.update(i < 1_000 ? 0.1 : 0.9)) {
 *     System.out.println("drift at " + ph.count());   // 1072: 72 values after the change
 *   }
 * }
 * }</pre>
 */
public final class PageHinkley extends AbstractDriftDetector {
    public static final String NAME = "page-hinkley";
    public static final double DEFAULT_DELTA = 0.005;
    public static final double DEFAULT_LAMBDA = 50;
    public static final double DEFAULT_ALPHA = 1 - 0.0001;
    public static final int DEFAULT_MIN_INSTANCES = 30;

    private final double delta;
    private final double lambda;
    private final double alpha;
    private final int minInstances;
    /** Values since the last detection (or the start), their mean and total. */
    private long n;

    private double mean;
    private double total;
    private double sum;
    /** Where the sum was lowest since the last start: the estimated change point. */
    private double minSum;

    private long nAtMin;
    private double totalAtMin;

    /**
     * @param delta the tolerated increase per value
     * @param lambda the threshold on the cumulative sum
     * @param alpha the fading factor of the sum (1: no fading)
     * @param minInstances values since the last start before a change may be declared
     */
    public PageHinkley(double delta, double lambda, double alpha, int minInstances) {
        super(NAME, "Page-Hinkley");
        if (!(delta >= 0) || !(lambda > 0) || !(alpha > 0 && alpha <= 1) || minInstances < 1) {
            throw new IllegalArgumentException("Page-Hinkley needs delta >= 0, lambda > 0, 0 < alpha <= 1 and "
                    + "minInstances >= 1, not " + delta + ", " + lambda + ", " + alpha + ", " + minInstances);
        }
        this.delta = delta;
        this.lambda = lambda;
        this.alpha = alpha;
        this.minInstances = minInstances;
    }

    @Override
    boolean test(double x) {
        n++;
        total += x;
        mean += (x - mean) / n;
        sum = alpha * sum + (x - mean - delta);
        if (sum < minSum) {
            minSum = sum;
            nAtMin = n;
            totalAtMin = total;
        }
        if (n >= minInstances && sum > lambda) {
            changed(nAtMin > 0 ? totalAtMin / nAtMin : Double.NaN, (total - totalAtMin) / (n - nAtMin));
            restart();
            return true;
        }
        return false;
    }

    private void restart() {
        n = 0;
        mean = 0;
        total = 0;
        sum = 0;
        minSum = 0;
        nAtMin = 0;
        totalAtMin = 0;
    }
}
