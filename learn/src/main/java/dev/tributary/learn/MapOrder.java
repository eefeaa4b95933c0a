package dev.tributary.learn;

import java.util.Map;

/**
 * The order in which the last feature map one thread gave {@link Featurizer#fill(Map, Map, FeatureVector,
 * MapOrder)} iterated: the events of a producer name the same features, and maps of the same names
 * iterate in the same order, so the next map is read by walking it once and checking each name against
 * the one seen at its position, instead of looking every declared feature up. Not thread-safe: one per
 * thread, next to its {@link FeatureVector}.
 */
public final class MapOrder {
    /** The featurizer the order was learned for. */
    Featurizer featurizer;
    /** The feature name at each position of the map's iteration. */
    String[] names = new String[0];
    /** The numeric feature each position holds ({@code names[p]}'s position in the spec), or -1 when undeclared. */
    int[] features = new int[0];
    /** The values of the numeric features of the map being read, by feature. */
    double[] values = new double[0];

    /** Whether an order was learned for {@code f} from a map of {@code size} entries. */
    boolean knows(Featurizer f, int size) {
        return featurizer == f && names.length == size;
    }

    /** Remembers the order of {@code numericValues}, whose every declared feature {@code f} has read. */
    void learn(Featurizer f, Map<String, Double> numericValues) {
        int size = numericValues.size();
        if (names.length != size) {
            names = new String[size];
            features = new int[size];
        }
        int p = 0;
        for (String name : numericValues.keySet()) {
            if (p == size) {
                featurizer = null; // the map changed while it was read: learn nothing
                return;
            }
            names[p] = name;
            features[p] = f.numericPosition(name);
            p++;
        }
        featurizer = p == size ? f : null;
    }

    /** A scratch array for {@code n} values. */
    double[] values(int n) {
        if (values.length < n) {
            values = new double[n];
        }
        return values;
    }
}
