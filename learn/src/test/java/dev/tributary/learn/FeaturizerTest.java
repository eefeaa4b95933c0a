package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturizerTest {

    @Test
    void numericFeaturesComeFirstInSpecOrderAndExtrasAreIgnored() {
        Featurizer f = new Featurizer(List.of("b", "a"), List.of(), 0);
        FeatureVector x = f.newVector();
        assertThat(f.fill(Map.of("a", 1.0, "b", 2.0, "extra", 9.0), null, x)).isNull();
        assertThat(x.size()).isEqualTo(2);
        assertThat(x.index(0)).isZero();
        assertThat(x.value(0)).isEqualTo(2.0);
        assertThat(x.index(1)).isEqualTo(1);
        assertThat(x.value(1)).isEqualTo(1.0);
        assertThat(f.dimension()).isEqualTo(2);
    }

    @Test
    void reportsMissingAndNonFiniteFeaturesAndLeavesTheVectorEmpty() {
        Featurizer f = new Featurizer(List.of("x1", "x2"), List.of(), 0);
        FeatureVector x = f.newVector();
        assertThat(f.fill(Map.of("x1", 1.0), Map.of(), x)).isEqualTo("missing feature 'x2'");
        assertThat(x.size()).isZero();
        assertThat(f.fill(Map.of("x1", Double.NaN, "x2", 1.0), Map.of(), x)).isEqualTo("feature 'x1' is NaN");
        assertThat(f.fill(Map.of("x1", Double.POSITIVE_INFINITY, "x2", 1.0), Map.of(), x))
                .isEqualTo("feature 'x1' is Infinity");
        assertThat(f.fill(Map.of("x1", 0.0, "x2", Double.NEGATIVE_INFINITY), Map.of(), x))
                .isEqualTo("feature 'x2' is -Infinity");
        Map<String, Double> withNull = new HashMap<>();
        withNull.put("x1", null);
        withNull.put("x2", 1.0);
        assertThat(f.fill(withNull, Map.of(), x)).isEqualTo("missing feature 'x1'");
        assertThat(f.fill(null, null, x)).isEqualTo("missing feature 'x1'");
        assertThat(x.size()).isZero();
    }

    @Test
    void categoriesHashNameEqualsValueIntoBucketsAfterTheNumericFeatures() {
        int bits = 10;
        Featurizer f = new Featurizer(List.of("x"), List.of("color", "city"), bits);
        FeatureVector x = f.newVector();
        assertThat(f.fill(Map.of("x", 0.5), Map.of("color", "red", "city", "Zürich", "other", "z"), x))
                .isNull();
        assertThat(x.size()).isEqualTo(3);
        int mask = (1 << bits) - 1;
        assertThat(x.index(1)).isEqualTo(1 + (MurmurHash3.hash32("color=red", 0) & mask));
        assertThat(x.index(2)).isEqualTo(1 + (MurmurHash3.hash32("city=Zürich", 0) & mask));
        assertThat(x.value(1)).isEqualTo(1.0);
        assertThat(f.dimension()).isEqualTo(1 + 1024);
        // a missing category adds nothing
        assertThat(f.fill(Map.of("x", 0.5), Map.of("color", "red"), x)).isNull();
        assertThat(x.size()).isEqualTo(2);
    }

    @Test
    void collidingBucketsAddUp() {
        Featurizer f = new Featurizer(List.of(), List.of("a", "b"), 1);
        FeatureVector x = f.newVector();
        // with 2 buckets, find two values that collide
        String va = "v0";
        int target = f.bucket(0, va);
        String vb = null;
        for (int i = 0; vb == null; i++) {
            if (f.bucket(1, "w" + i) == target) {
                vb = "w" + i;
            }
        }
        assertThat(f.fill(Map.of(), Map.of("a", va, "b", vb), x)).isNull();
        assertThat(x.size()).isEqualTo(1);
        assertThat(x.value(0)).isEqualTo(2.0);
    }

    @Test
    void zeroHashBitsIgnoresCategories() {
        Featurizer f = new Featurizer(List.of("x"), List.of("color"), 0);
        FeatureVector x = f.newVector();
        assertThat(f.fill(Map.of("x", 1.0), Map.of("color", "red"), x)).isNull();
        assertThat(x.size()).isEqualTo(1);
        assertThat(f.dimension()).isEqualTo(1);
    }

    @Test
    void featureVectorGrowsAndChecksBounds() {
        FeatureVector x = new FeatureVector(0);
        for (int i = 0; i < 10; i++) {
            x.add(i, i * 0.5);
        }
        assertThat(x.size()).isEqualTo(10);
        assertThat(x.value(9)).isEqualTo(4.5);
        assertThatThrownBy(() -> x.index(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> x.add(-1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        x.clear();
        assertThat(x.size()).isZero();
    }
}
