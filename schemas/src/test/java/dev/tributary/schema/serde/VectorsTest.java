package dev.tributary.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void roundTripsExactly() {
        double[] values = {0.0, -1.5, Double.MIN_VALUE, 1e300, Math.PI};
        assertThat(Vectors.fromBytes(Vectors.toBytes(values))).containsExactly(values);
    }

    @Test
    void isLittleEndianFloat64() {
        byte[] bytes = Vectors.toBytes(new double[] {1.0}).array();
        assertThat(bytes).containsExactly(0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F);
    }
}
