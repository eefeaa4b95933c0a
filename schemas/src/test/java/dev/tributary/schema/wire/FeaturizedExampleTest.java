package dev.tributary.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.learn.FeatureVector;
import java.io.ByteArrayOutputStream;
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

    /** {@code value}'s bytes, most significant first (big-endian) or last (little-endian). */
    private static void put(ByteArrayOutputStream out, long value, int bytes, boolean bigEndian) {
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (bigEndian ? bytes - 1 - i : i);
            out.write((int) (value >>> shift) & 0xFF);
        }
    }

    /** Entries 0.5 and -2.25 (numeric), then index 7 with 1.0; the id "e-1"; built byte by byte. */
    private static byte[] handBuilt(byte[] head, boolean bigEndian, double label) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        put(out, Double.doubleToRawLongBits(label), 8, bigEndian);
        put(out, 2, 4, bigEndian);
        put(out, 1, 4, bigEndian);
        put(out, Double.doubleToRawLongBits(0.5), 8, bigEndian);
        put(out, Double.doubleToRawLongBits(-2.25), 8, bigEndian);
        put(out, 7, 4, bigEndian);
        put(out, Double.doubleToRawLongBits(1.0), 8, bigEndian);
        out.writeBytes("e-1".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void assertReadsAsWritten(byte[] bytes) {
        assertThat(FeaturizedExample.matches(bytes)).isTrue();
        assertThat(FeaturizedExample.label(bytes)).isEqualTo(1.0);
        assertThat(FeaturizedExample.id(bytes)).isEqualTo("e-1");
        FeatureVector x = new FeatureVector(1);
        assertThat(FeaturizedExample.fill(bytes, 2, 10, x)).isNull();
        assertThat(new int[] {x.index(0), x.index(1), x.index(2)}).containsExactly(0, 1, 7);
        assertThat(new double[] {x.value(0), x.value(1), x.value(2)}).containsExactly(0.5, -2.25, 1.0);
    }

    @Test
    void anExampleIsWrittenInTheCurrentLayoutAndReadsBackAsItWasWritten() {
        byte[] bytes = FeaturizedExample.encode("e-1", 1.0, 2, vector(0.5, -2.25, 5));
        assertThat(bytes)
                .as("'T' 'F', version 1, then little-endian fields")
                .isEqualTo(handBuilt(new byte[] {'T', 'F', 1}, false, 1.0));
        assertReadsAsWritten(bytes);
    }

    @Test
    void anExampleOfTheFirstLayoutIsStillRead() {
        byte[] first = handBuilt(new byte[] {'T', 'X'}, true, 1.0);
        assertReadsAsWritten(first);
        byte[] labelled = FeaturizedExample.withLabel(handBuilt(new byte[] {'T', 'X'}, true, Double.NaN), 1.0);
        assertThat(labelled).as("a label set in its own layout").isEqualTo(first);
    }

    @Test
    void aLabelThatCameLaterIsSetInACopy() {
        byte[] waiting = FeaturizedExample.encode("e-1", Double.NaN, 2, vector(0.5, -2.25, 5));
        byte[] labelled = FeaturizedExample.withLabel(waiting, 1.0);
        assertThat(FeaturizedExample.label(waiting)).isNaN();
        assertReadsAsWritten(labelled);
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
        assertThat(FeaturizedExample.matches(new byte[] {'T', 'F', 1, 0}))
                .as("too short")
                .isFalse();
        assertThat(FeaturizedExample.matches(null)).isFalse();
    }

    @Test
    void anExampleOfANewerVersionIsRefusedWithWhatToDo() {
        byte[] newer = handBuilt(new byte[] {'T', 'F', 2}, false, 1.0);
        assertThat(FeaturizedExample.matches(newer)).isTrue();
        FeatureVector x = new FeatureVector(3);
        assertThat(FeaturizedExample.fill(newer, 2, 10, x))
                .contains("version 2")
                .contains("upgrade");
        assertThat(x.size()).isZero();
        assertThat(FeaturizedExample.id(newer)).isEqualTo("?");
        assertThatThrownBy(() -> FeaturizedExample.label(newer)).hasMessageContaining("version 2");
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

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'T', 'F', 1});
        put(out, Double.doubleToRawLongBits(1.0), 8, false);
        put(out, 0, 4, false);
        put(out, 1000, 4, false);
        byte[] truncated = out.toByteArray();
        assertThat(FeaturizedExample.fill(truncated, 0, 10, x)).contains("1000 other entries in 19 bytes");
        assertThat(FeaturizedExample.id(truncated)).isEqualTo("?");
    }
}
