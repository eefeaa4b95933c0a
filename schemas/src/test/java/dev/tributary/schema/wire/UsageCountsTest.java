package dev.tributary.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsageCountsTest {
    private static final UsageCounts COUNTS = new UsageCounts(123, 10, 2, 5_000, 3);

    /** The five counts of {@link #COUNTS}, eight bytes each, most significant first or last. */
    private static byte[] longs(boolean bigEndian) {
        long[] values = {123, 10, 2, 5_000, 3};
        byte[] bytes = new byte[40];
        for (int v = 0; v < 5; v++) {
            for (int i = 0; i < 8; i++) {
                int shift = 8 * (bigEndian ? 7 - i : i);
                bytes[8 * v + i] = (byte) (values[v] >>> shift);
            }
        }
        return bytes;
    }

    @Test
    void anEntryIsWrittenWithItsVersionLittleEndianAndReadsBack() {
        byte[] expected = new byte[41];
        expected[0] = 1;
        System.arraycopy(longs(false), 0, expected, 1, 40);
        assertThat(COUNTS.toBytes()).isEqualTo(expected);
        assertThat(UsageCounts.fromBytes(COUNTS.toBytes())).isEqualTo(COUNTS);
    }

    @Test
    void anEntryOfTheFirstLayoutIsStillRead() {
        assertThat(UsageCounts.fromBytes(longs(true))).isEqualTo(COUNTS);
    }

    @Test
    void bytesOfANewerVersionOrOfAnotherSizeAreRefused() {
        byte[] newer = COUNTS.toBytes();
        newer[0] = 2;
        assertThatThrownBy(() -> UsageCounts.fromBytes(newer))
                .hasMessageContaining("version 2")
                .hasMessageContaining("upgrade");
        assertThatThrownBy(() -> UsageCounts.fromBytes(new byte[] {1, 2, 3})).hasMessageContaining("not 3");
        assertThatThrownBy(() -> UsageCounts.fromBytes(null)).hasMessageContaining("null");
    }
}
