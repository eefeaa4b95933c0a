package dev.tributary.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks at most a given number of a curve's points that keep its shape: largest-triangle-three-buckets
 * (Steinarsson, 2013). The first and last points are always kept, and so are points the caller must
 * show (the serving version, aliased ones), so a chart of 10,000 versions sends a few hundred.
 */
final class Downsampling {
    private Downsampling() {}

    /**
     * The indexes of the points to draw, ascending.
     *
     * @param x the points' x values, ascending (ties allowed)
     * @param y their y values; NaN points are never picked
     * @param max how many points at most, besides the ones in {@code keep}
     * @param keep indexes always included
     */
    static List<Integer> pick(double[] x, double[] y, int max, Set<Integer> keep) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y " + y.length);
        }
        if (max < 3) {
            throw new IllegalArgumentException("max must be at least 3, not " + max);
        }
        List<Integer> finite = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(x[i])) {
                finite.add(i);
            }
        }
        TreeSet<Integer> picked = new TreeSet<>();
        keep.stream()
                .filter(i -> i >= 0 && i < x.length && Double.isFinite(y[i]))
                .forEach(picked::add);
        if (finite.size() <= max) {
            picked.addAll(finite);
            return List.copyOf(picked);
        }
        int n = finite.size();
        picked.add(finite.get(0));
        picked.add(finite.get(n - 1));
        double bucket = (double) (n - 2) / (max - 2);
        int a = 0; // position in finite of the last picked point
        for (int b = 0; b < max - 2; b++) {
            int from = (int) Math.floor(b * bucket) + 1;
            int to = Math.min((int) Math.floor((b + 1) * bucket) + 1, n - 1);
            int nextFrom = to;
            int nextTo = Math.min((int) Math.floor((b + 2) * bucket) + 1, n);
            double avgX = 0;
            double avgY = 0;
            for (int j = nextFrom; j < nextTo; j++) {
                avgX += x[finite.get(j)];
                avgY += y[finite.get(j)];
            }
            int count = Math.max(1, nextTo - nextFrom);
            avgX /= count;
            avgY /= count;
            double ax = x[finite.get(a)];
            double ay = y[finite.get(a)];
            double bestArea = -1;
            int best = from;
            for (int j = from; j < to; j++) {
                double area = Math.abs((ax - avgX) * (y[finite.get(j)] - ay) - (ax - x[finite.get(j)]) * (avgY - ay));
                if (area > bestArea) {
                    bestArea = area;
                    best = j;
                }
            }
            picked.add(finite.get(best));
            a = best;
        }
        return List.copyOf(picked);
    }
}
