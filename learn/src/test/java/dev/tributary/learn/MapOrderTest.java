package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MapOrderTest {
    private static final Featurizer FEATURIZER = new Featurizer(List.of("x1", "x2", "x3"), List.of("city"), 8);

    @Test
    void fillsTheSameEntriesAsTheLookupsWhateverTheMapsOrderOrContent() {
        Random random = new Random(7);
        MapOrder order = new MapOrder();
        List<Map<String, Double>> maps = new ArrayList<>();
        maps.add(numbers("x1", 1.0, "x2", 2.0, "x3", 3.0));
        maps.add(numbers("x3", 3.5, "x2", 2.5, "x1", 1.5)); // another order
        maps.add(numbers("x3", 3.5, "x2", 2.5, "x1", 1.5, "extra", 9.0)); // an undeclared feature
        maps.add(numbers("x3", 3.5, "x2", 2.5, "other", 1.5)); // a missing one in the place of one seen before
        maps.add(numbers("x1", Double.NaN, "x2", 2.0, "x3", Double.POSITIVE_INFINITY));
        maps.add(numbers("x1", 1.0, "x2", null, "x3", 3.0));
        maps.add(numbers("x1", 1.0, "x2", 2.0, "x3", 3.0));
        maps.add(new HashMap<>());
        maps.add(null);
        for (int i = 0; i < 200; i++) {
            Map<String, Double> m = maps.get(random.nextInt(maps.size()));
            Map<String, Double> copy = m == null ? null : new LinkedHashMap<>(m);
            if (copy != null && copy.containsKey("x1") && copy.get("x1") != null) {
                copy.put("x1", random.nextGaussian()); // same names and order, new values
            }
            Map<String, String> categories = random.nextBoolean() ? Map.of("city", "Oslo") : null;
            FeatureVector expected = FEATURIZER.newVector();
            FeatureVector actual = FEATURIZER.newVector();
            assertThat(FEATURIZER.fill(copy, categories, actual, order))
                    .isEqualTo(FEATURIZER.fill(copy, categories, expected));
            assertThat(entries(actual)).isEqualTo(entries(expected));
        }
    }

    @Test
    void anOrderLearnedForOneFeaturizerIsNotUsedForAnother() {
        Featurizer reversed = new Featurizer(List.of("x3", "x2", "x1"), List.of(), 0);
        MapOrder order = new MapOrder();
        Map<String, Double> m = numbers("x1", 1.0, "x2", 2.0, "x3", 3.0);
        FeatureVector x = FEATURIZER.newVector();
        assertThat(FEATURIZER.fill(m, null, x, order)).isNull();
        assertThat(reversed.fill(m, null, x, order)).isNull();
        assertThat(entries(x)).isEqualTo(List.of("0=3.0", "1=2.0", "2=1.0"));
    }

    @Test
    void aFeatureDeclaredTwiceIsReadByTheLookups() {
        Featurizer twice = new Featurizer(List.of("x1", "x1"), List.of(), 0);
        MapOrder order = new MapOrder();
        FeatureVector x = twice.newVector();
        for (double v : new double[] {1.0, 2.0}) {
            assertThat(twice.fill(numbers("x1", v), null, x, order)).isNull();
            assertThat(entries(x)).isEqualTo(List.of("0=" + v, "1=" + v));
        }
    }

    private static Map<String, Double> numbers(Object... namesAndValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (Double) namesAndValues[i + 1]);
        }
        return m;
    }

    private static List<String> entries(FeatureVector x) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            out.add(x.index(i) + "=" + x.value(i));
        }
        return out;
    }
}
