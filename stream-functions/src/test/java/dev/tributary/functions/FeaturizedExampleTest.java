package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.learn.FeatureVector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FeaturizedExampleTest {
    /** Two numeric features and, hashed into 8 buckets after them, one categorical value. */
    private static FeatureVector vector(double a, double b, int bucket) {
        FeatureVector x = new FeatureVector(3);
        x.add(0, a);
        x.add(1, b);
        x.add(2 + bucket, 1.0);
        return x;
    }

    @Test
    void anExampleReadsBackAsItWasWritten() {
        byte[] bytes = FeaturizedExample.encode("e-1", 1.0, 2, vector(0.5, -2.25, 5));
        assertThat(FeaturizedExample.matches(bytes)).isTrue();
        assertThat(FeaturizedExample.label(bytes)).isEqualTo(1.0);
        assertThat(FeaturizedExample.id(bytes)).isEqualTo("e-1");
        FeatureVector x = new FeatureVector(1);
        assertThat(FeaturizedExample.fill(bytes, 2, 10, x)).isNull();
        assertThat(x.size()).isEqualTo(3);
        assertThat(new int[] {x.index(0), x.index(1), x.index(2)}).containsExactly(0, 1, 7);
        assertThat(new double[] {x.value(0), x.value(1), x.value(2)}).containsExactly(0.5, -2.25, 1.0);
    }

    @Test
    void inputValuesAsTheyArriveAreNotFeaturizedExamples() {
        assertThat(FeaturizedExample.matches("{\"id\":\"e\"}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(FeaturizedExample.matches(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}))
                .isFalse();
        assertThat(FeaturizedExample.matches(new byte[] {'T', 'X', 0, 0}))
                .as("too short")
                .isFalse();
        assertThat(FeaturizedExample.matches(null)).isFalse();
    }

    @Test
    void anExampleThatDoesNotFitTheModelIsRefusedAndLeavesTheVectorEmpty() {
        byte[] bytes = FeaturizedExample.encode("e-2", 0.0, 2, vector(1, 2, 5));
        FeatureVector x = new FeatureVector(3);
        assertThat(FeaturizedExample.fill(bytes, 3, 11, x))
                .as("a model of 3 numeric features")
                .contains("2 numeric and 1 other entries");
        assertThat(x.size()).isZero();
        assertThat(FeaturizedExample.fill(bytes, 2, 6, x))
                .as("a bucket outside the weights")
                .contains("index 7");
        assertThat(x.size()).isZero();

        FeatureVector numericAgain = new FeatureVector(3);
        numericAgain.add(0, 1);
        numericAgain.add(1, 2);
        numericAgain.add(0, 1);
        assertThat(FeaturizedExample.fill(FeaturizedExample.encode("e-3", 0.0, 2, numericAgain), 2, 10, x))
                .as("a hashed entry must come after the numeric features")
                .contains("entry 2 (index 0");

        FeatureVector nan = vector(Double.NaN, 2, 0);
        assertThat(FeaturizedExample.fill(FeaturizedExample.encode("e-4", 1.0, 2, nan), 2, 10, x))
                .contains("NaN");

        byte[] truncated = ByteBuffer.allocate(18)
                .put((byte) 'T')
                .put((byte) 'X')
                .putDouble(1.0)
                .putInt(0)
                .putInt(1000)
                .array();
        assertThat(FeaturizedExample.fill(truncated, 0, 10, x)).contains("1000 other entries in 18 bytes");
        assertThat(FeaturizedExample.id(truncated)).isEqualTo("?");
    }
}
