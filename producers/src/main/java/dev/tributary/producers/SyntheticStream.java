package dev.tributary.producers;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An endless stream of events drawn from a known linear model, so what a learner reaches can be
 * held against the truth. Features are independent normals with varied scales and offsets (so
 * standardization matters); after {@code driftAt} events the true weights change, so learning is
 * visible again: at once, or gradually over {@code driftWidth} events, where each event follows the
 * new weights with a probability that rises linearly from 0 to 1 (MOA's gradual drift, with a linear
 * rather than a sigmoid ramp).
 *
 * <pre>{@code
 * SyntheticStream s = new SyntheticStream("churn", Algorithm.LOGISTIC_REGRESSION, 5, 42, 10_000);
 * Event e = s.next();          // e.getLabel() is 0.0 or 1.0
 * double best = s.bestAchievable(20_000);   // accuracy of the true model itself
 * SyntheticStream gradual = new SyntheticStream("churn", Algorithm.LOGISTIC_REGRESSION, 5, 42, 10_000, 5_000);
 * }</pre>
 */
public final class SyntheticStream implements Iterator<Event> {
    private static final double REGRESSION_NOISE = 0.5;
    private static final double SVM_LABEL_NOISE = 0.05;

    private final String model;
    private final Algorithm algorithm;
    private final List<String> features;
    private final double[] scales;
    private final double[] offsets;
    private final double[] before;
    private final double[] after;
    private final double bias;
    private final long driftAt;
    private final long driftWidth;
    private final SplittableRandom random;
    private final long seed;
    private long produced;
    /** The true weights of the last event. */
    private double[] lastWeights;

    public SyntheticStream(String model, Algorithm algorithm, int dimension, long seed, long driftAt) {
        this(model, algorithm, dimension, seed, driftAt, 0);
    }

    /** @param driftWidth over how many events from {@code driftAt} the new weights take over; 0: at once */
    public SyntheticStream(String model, Algorithm algorithm, int dimension, long seed, long driftAt, long driftWidth) {
        if (driftWidth < 0) {
            throw new IllegalArgumentException("driftWidth must be >= 0, not " + driftWidth);
        }
        this.model = model;
        this.driftWidth = driftWidth;
        this.algorithm = algorithm;
        this.seed = seed;
        this.driftAt = driftAt;
        SplittableRandom setup = new SplittableRandom(seed);
        this.features = new ArrayList<>();
        this.scales = new double[dimension];
        this.offsets = new double[dimension];
        this.before = new double[dimension];
        this.after = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            features.add("x" + (i + 1));
            scales[i] = Math.pow(10, setup.nextDouble(-1, 2));
            offsets[i] = setup.nextDouble(-5, 5) * scales[i];
            before[i] = setup.nextDouble(-2, 2);
            after[i] = setup.nextBoolean() ? -before[i] : setup.nextDouble(-2, 2);
        }
        this.bias = setup.nextDouble(-0.5, 0.5);
        this.random = new SplittableRandom(setup.nextLong());
    }

    public List<String> featureNames() {
        return List.copyOf(features);
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Event next() {
        double[] w = weightsAt(produced);
        lastWeights = w;
        Map<String, Double> x = new HashMap<>(features.size() * 2);
        double margin = bias;
        for (int i = 0; i < w.length; i++) {
            double z = random.nextDouble() * 2 - 1 + random.nextDouble() * 2 - 1 + random.nextDouble() * 2 - 1;
            x.put(features.get(i), offsets[i] + scales[i] * z);
            margin += w[i] * z; // the truth is linear in the standardized feature
        }
        produced++;
        return Event.newBuilder()
                .setId(model + "-" + seed + "-" + produced)
                .setModel(model)
                .setFeatures(x)
                .setLabel(label(margin))
                .setTimestamp(System.currentTimeMillis())
                .build();
    }

    /** The true weights of event {@code k} (0-based); draws from the stream's random during a gradual drift. */
    private double[] weightsAt(long k) {
        if (k < driftAt) {
            return before;
        }
        if (k - driftAt >= driftWidth) {
            return after;
        }
        return random.nextDouble() < (double) (k - driftAt) / driftWidth ? after : before;
    }

    private double label(double margin) {
        return switch (algorithm) {
            case LINEAR_REGRESSION -> margin + REGRESSION_NOISE * gaussian();
            case LOGISTIC_REGRESSION -> random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1.0 : 0.0;
            case LINEAR_SVM -> (margin >= 0) ^ (random.nextDouble() < SVM_LABEL_NOISE) ? 1.0 : 0.0;
        };
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * What the true model itself scores on a fresh stream of {@code n} events from the same
     * regime as the first {@code n} events: accuracy for classifiers, R² for regression. A learner
     * can at best approach it.
     */
    public double bestAchievable(int n) {
        SyntheticStream twin = new SyntheticStream(model, algorithm, features.size(), seed, driftAt, driftWidth);
        double correct = 0;
        double sse = 0;
        double sum = 0;
        double sumSq = 0;
        for (int k = 0; k < n; k++) {
            Event e = twin.next();
            double[] w = twin.lastWeights;
            double margin = twin.bias;
            for (int i = 0; i < w.length; i++) {
                margin += w[i] * (e.getFeatures().get(features.get(i)) - offsets[i]) / scales[i];
            }
            double y = e.getLabel();
            if (algorithm == Algorithm.LINEAR_REGRESSION) {
                sse += (y - margin) * (y - margin);
                sum += y;
                sumSq += y * y;
            } else if ((margin >= 0 ? 1.0 : 0.0) == y) {
                correct++;
            }
        }
        if (algorithm == Algorithm.LINEAR_REGRESSION) {
            double sst = sumSq - sum * sum / n;
            return 1 - sse / sst;
        }
        return correct / n;
    }
}
