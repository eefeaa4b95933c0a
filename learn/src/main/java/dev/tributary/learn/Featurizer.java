package dev.tributary.learn;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link FeatureVector}s from an event's feature maps. Every declared numeric feature is
 * required and must be finite; it lands at its position in {@code numericFeatures}. Each present
 * categorical feature adds 1.0 at {@code numericCount + bucket}, where bucket is the low
 * {@code hashBits} bits of MurmurHash3 (x86_32, seed 0) of the UTF-8 string {@code "name=value"}
 * (colliding buckets add up). With {@code hashBits = 0} categories are ignored, and numeric
 * features that are not declared are ignored too. Immutable and thread-safe; {@link #fill}
 * allocates nothing.
 *
 * <pre>{@code
 * Featurizer f = new Featurizer(List.of("x1", "x2"), List.of("city"), 8);
 * FeatureVector x = f.newVector();
 * String problem = f.fill(Map.of("x1", 1.0, "x2", 2.0), Map.of("city", "Oslo"), x);
 * if (problem != null) deadLetter(problem); // e.g. "missing feature 'x2'"
 * }</pre>
 */
public final class Featurizer {

    private final String[] numeric;
    private final String[] categorical;
    private final byte[][] prefixes; // UTF-8 of "name=" per categorical feature
    private final int hashBits;
    private final int mask;
    /** Each numeric feature's position by name; null when a name is declared twice (no {@link MapOrder} then). */
    private final Map<String, Integer> numericPositions;

    public Featurizer(List<String> numericFeatures, List<String> categoricalFeatures, int hashBits) {
        if (hashBits < 0 || hashBits > LearnerConfig.MAX_HASH_BITS) {
            throw new IllegalArgumentException(
                    "hashBits must be between 0 and " + LearnerConfig.MAX_HASH_BITS + ", got " + hashBits);
        }
        if (numericFeatures == null) {
            throw new IllegalArgumentException("numericFeatures is required (use an empty list for none)");
        }
        this.numeric = numericFeatures.toArray(String[]::new);
        this.categorical = hashBits == 0 || categoricalFeatures == null
                ? new String[0]
                : categoricalFeatures.toArray(String[]::new);
        this.prefixes = new byte[categorical.length][];
        for (int i = 0; i < categorical.length; i++) {
            prefixes[i] = (categorical[i] + "=").getBytes(StandardCharsets.UTF_8);
        }
        this.hashBits = hashBits;
        this.mask = hashBits == 0 ? 0 : (1 << hashBits) - 1;
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < numeric.length; i++) {
            positions.put(numeric[i], i);
        }
        this.numericPositions = positions.size() == numeric.length ? positions : null;
    }

    /** A featurizer for the features of {@code config}. */
    public static Featurizer of(LearnerConfig config) {
        return new Featurizer(config.numericFeatures(), config.categoricalFeatures(), config.hashBits());
    }

    /**
     * Clears {@code out} and fills it from the maps ({@code categories} may be null).
     *
     * @return null on success, else a human-readable reason such as {@code "missing feature 'x2'"},
     *         {@code "feature 'x1' is NaN"} or {@code "feature 'x1' is Infinity"}; {@code out} is then empty
     */
    public String fill(Map<String, Double> numericValues, Map<String, String> categories, FeatureVector out) {
        out.clear();
        for (int i = 0; i < numeric.length; i++) {
            String name = numeric[i];
            Double boxed = numericValues == null ? null : numericValues.get(name);
            if (boxed == null) {
                out.clear();
                return "missing feature '" + name + "'";
            }
            double v = boxed;
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                out.clear();
                return "feature '" + name + "' is " + v;
            }
            out.add(i, v);
        }
        addCategories(categories, out);
        return null;
    }

    /**
     * The same as {@link #fill(Map, Map, FeatureVector)}, entry for entry, for a thread whose maps
     * usually iterate in the order of its last one ({@code order} remembers it): the map is walked once,
     * each name checked against the one seen at its position. A map in another order, or with a missing
     * or non-finite value, is read by lookups, and its order is remembered once it reads.
     */
    public String fill(
            Map<String, Double> numericValues, Map<String, String> categories, FeatureVector out, MapOrder order) {
        if (numericValues != null && order.knows(this, numericValues.size()) && readInOrder(numericValues, order)) {
            double[] values = order.values;
            out.clear();
            for (int i = 0; i < numeric.length; i++) {
                out.add(i, values[i]);
            }
            addCategories(categories, out);
            return null;
        }
        String problem = fill(numericValues, categories, out);
        if (problem == null && numericValues != null && numericPositions != null) {
            order.learn(this, numericValues);
        }
        return problem;
    }

    /** Reads the declared values of a map in the remembered order into {@code order.values}; false if it is not. */
    private boolean readInOrder(Map<String, Double> numericValues, MapOrder order) {
        String[] names = order.names;
        int[] features = order.features;
        double[] values = order.values(numeric.length);
        int p = 0;
        for (Map.Entry<String, Double> e : numericValues.entrySet()) {
            String name = e.getKey();
            if (p == names.length || name == null || !name.equals(names[p])) {
                return false;
            }
            int i = features[p++];
            if (i >= 0) {
                Double boxed = e.getValue();
                if (boxed == null || Double.isNaN(boxed) || Double.isInfinite(boxed)) {
                    return false; // the lookups name the first problem in declaration order
                }
                values[i] = boxed;
            }
        }
        return p == names.length;
    }

    /** The position of numeric feature {@code name}, or -1 when it is not declared. */
    int numericPosition(String name) {
        Integer i = numericPositions.get(name);
        return i == null ? -1 : i;
    }

    private void addCategories(Map<String, String> categories, FeatureVector out) {
        if (categories != null) {
            for (int c = 0; c < categorical.length; c++) {
                String value = categories.get(categorical[c]);
                if (value != null) {
                    addMerged(out, numeric.length + bucket(c, value));
                }
            }
        }
    }

    /**
     * The same as {@link #fill(Map, Map, FeatureVector)} for values already in feature order:
     * {@code numericValues[i]} is the i-th numeric feature, {@code categories[c]} the value of the
     * c-th categorical feature (null = absent; the array may be null when there are none).
     * Allocates nothing.
     */
    public String fillRow(double[] numericValues, String[] categories, FeatureVector out) {
        out.clear();
        if (numericValues == null || numericValues.length != numeric.length) {
            return "expected " + numeric.length + " numeric values, got "
                    + (numericValues == null ? "none" : String.valueOf(numericValues.length));
        }
        for (int i = 0; i < numeric.length; i++) {
            double v = numericValues[i];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                out.clear();
                return "feature '" + numeric[i] + "' is " + v;
            }
            out.add(i, v);
        }
        if (categories != null) {
            for (int c = 0; c < categorical.length && c < categories.length; c++) {
                String value = categories[c];
                if (value != null) {
                    addMerged(out, numeric.length + bucket(c, value));
                }
            }
        }
        return null;
    }

    /** Bucket (0 .. 2^hashBits - 1) of value {@code value} of the c-th categorical feature. */
    int bucket(int c, String value) {
        return MurmurHash3.hashUtf8(prefixes[c], value, 0) & mask;
    }

    private void addMerged(FeatureVector out, int index) {
        for (int k = numeric.length; k < out.size(); k++) {
            if (out.index(k) == index) {
                out.addToValue(k, 1.0);
                return;
            }
        }
        out.add(index, 1.0);
    }

    /** Number of weights: numeric features plus {@code 2^hashBits} buckets (none if {@code hashBits = 0}). */
    public int dimension() {
        return numeric.length + (hashBits > 0 ? 1 << hashBits : 0);
    }

    /** Most entries a filled vector can have: one per numeric and per categorical feature. */
    public int maxEntries() {
        return numeric.length + categorical.length;
    }

    /** A vector big enough for any event. */
    public FeatureVector newVector() {
        return new FeatureVector(maxEntries());
    }
}
