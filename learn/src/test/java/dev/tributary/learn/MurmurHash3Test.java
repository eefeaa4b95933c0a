package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MurmurHash3Test {

    /** Published MurmurHash3_x86_32 vectors (the SMHasher reference; also Guava's murmur3_32_fixed). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|0|0x00000000",
                "''|1|0x514e28b7",
                "''|0x9747b28c|0xebb6c228",
                "a|0x9747b28c|0x7fa09ea6",
                "abc|0|0xb3dd93fa",
                "abcd|0x9747b28c|0xf0478627",
                "aaaa|0x9747b28c|0x5a97808a",
                "hello|0|0x248bfa47",
                "Hello, world!|0x9747b28c|0x24884cba",
                "The quick brown fox jumps over the lazy dog|0|0x2e4ff723",
                "The quick brown fox jumps over the lazy dog|0x9747b28c|0x2fa826cd",
                "city=Zürich|0|0x75a6d597",
                "emoji=😀|0|0x616ee6a9"
            })
    void matchesKnownVectors(String text, String seed, String expected) {
        int s = Integer.parseUnsignedInt(
                seed.substring(seed.startsWith("0x") ? 2 : 0), seed.startsWith("0x") ? 16 : 10);
        int want = Integer.parseUnsignedInt(expected.substring(2), 16);
        assertThat(MurmurHash3.hash32(text.getBytes(StandardCharsets.UTF_8), s)).isEqualTo(want);
        assertThat(MurmurHash3.hash32(text, s)).isEqualTo(want);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a",
                "ab",
                "abc",
                "abcd",
                "abcde",
                "red",
                "Zürich",
                "東京都",
                "😀😀",
                "mixed 😀 東 é x",
                "\ud800 unpaired high",
                "unpaired low \udc00",
                "tail high \ud83d"
            })
    void streamingUtf8EqualsHashOfConcatenatedBytes(String value) {
        for (String prefix : new String[] {"", "c=", "city=", "name4=", "é="}) {
            byte[] whole = (prefix + value).getBytes(StandardCharsets.UTF_8);
            assertThat(MurmurHash3.hashUtf8(prefix.getBytes(StandardCharsets.UTF_8), value, 0))
                    .as("prefix '%s' value '%s'", prefix, value)
                    .isEqualTo(MurmurHash3.hash32(whole, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void offsetAndLengthHashTheSlice(int offset) {
        byte[] data = "xxxxxThe quick brown fox".getBytes(StandardCharsets.UTF_8);
        byte[] slice = java.util.Arrays.copyOfRange(data, offset, data.length);
        assertThat(MurmurHash3.hash32(data, offset, data.length - offset, 7)).isEqualTo(MurmurHash3.hash32(slice, 7));
    }
}
