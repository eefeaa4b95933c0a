package dev.tributary.learn.drift;

import java.util.SplittableRandom;

/** Seeded 0/1 error streams for the detector tests: rate {@code before}, then {@code after} from {@code at}. */
final class DriftStreams {
    private DriftStreams() {}

    /** Feeds {@code n} values; returns the positions (0-based) of the detections. */
    static java.util.List<Long> detections(
            DriftDetector d, long n, long seed, double before, double after, long at, long width) {
        SplittableRandom random = new SplittableRandom(seed);
        java.util.List<Long> found = new java.util.ArrayList<>();
        for (long i = 0; i < n; i++) {
            double share = i < at ? 0 : width == 0 || i >= at + width ? 1 : (double) (i - at) / width;
            double p = before + (after - before) * share;
            if (d.update(random.nextDouble() < p ? 1 : 0)) {
                found.add(i);
            }
        }
        return found;
    }

    static java.util.List<Long> stationary(DriftDetector d, long n, long seed, double rate) {
        return detections(d, n, seed, rate, rate, Long.MAX_VALUE, 0);
    }
}
