package dev.tributary.learn;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain reference), over bytes or over the UTF-8
 * encoding of {@code prefix + text} without allocating.
 *
 * <pre>{@code
 * int h = MurmurHash3.hash32("hello".getBytes(StandardCharsets.UTF_8), 0); // 0x248bfa47
 * int same = MurmurHash3.hashUtf8("hel".getBytes(StandardCharsets.UTF_8), "lo", 0);
 * }</pre>
 */
public final class MurmurHash3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {}

    /** Hash of the UTF-8 bytes of {@code text}. */
    public static int hash32(String text, int seed) {
        return hash32(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** Hash of all of {@code data}. */
    public static int hash32(byte[] data, int seed) {
        return hash32(data, 0, data.length, seed);
    }

    /** Hash of {@code data[offset, offset + length)}. */
    public static int hash32(byte[] data, int offset, int length, int seed) {
        int h1 = seed;
        int end = offset + (length & ~3);
        for (int i = offset; i < end; i += 4) {
            int k1 = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | data[i + 3] << 24;
            h1 = mixH1(h1, k1);
        }
        int k1 = 0;
        switch (length & 3) {
            case 3:
                k1 ^= (data[end + 2] & 0xff) << 16;
            // fall through
            case 2:
                k1 ^= (data[end + 1] & 0xff) << 8;
            // fall through
            case 1:
                k1 ^= data[end] & 0xff;
                h1 ^= mixK1(k1);
                break;
            default:
                break;
        }
        return fmix(h1 ^ length);
    }

    /**
     * Hash of {@code prefix} followed by the UTF-8 encoding of {@code text} (an unpaired surrogate
     * encodes as {@code '?'}, as {@link String#getBytes} does), without building either string.
     */
    public static int hashUtf8(byte[] prefix, CharSequence text, int seed) {
        int h1 = seed;
        int block = 0; // bytes of the current 4-byte block, little-endian
        int filled = 0; // how many bytes the block holds
        int length = 0;
        for (byte b : prefix) {
            block |= (b & 0xff) << (filled << 3);
            if (++filled == 4) {
                h1 = mixH1(h1, block);
                block = 0;
                filled = 0;
            }
            length++;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int encoded; // up to 4 UTF-8 bytes, first byte lowest
            int count;
            if (c < 0x80) {
                encoded = c;
                count = 1;
            } else if (c < 0x800) {
                encoded = (0xc0 | c >> 6) | (0x80 | c & 0x3f) << 8;
                count = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                encoded = (0xf0 | cp >> 18)
                        | (0x80 | cp >> 12 & 0x3f) << 8
                        | (0x80 | cp >> 6 & 0x3f) << 16
                        | (0x80 | cp & 0x3f) << 24;
                count = 4;
            } else if (Character.isSurrogate(c)) {
                encoded = '?';
                count = 1;
            } else {
                encoded = (0xe0 | c >> 12) | (0x80 | c >> 6 & 0x3f) << 8 | (0x80 | c & 0x3f) << 16;
                count = 3;
            }
            for (int j = 0; j < count; j++) {
                block |= (encoded >>> (j << 3) & 0xff) << (filled << 3);
                if (++filled == 4) {
                    h1 = mixH1(h1, block);
                    block = 0;
                    filled = 0;
                }
            }
            length += count;
        }
        if (filled > 0) {
            h1 ^= mixK1(block);
        }
        return fmix(h1 ^ length);
    }

    private static int mixK1(int k1) {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        return k1 * C2;
    }

    private static int mixH1(int h1, int k1) {
        h1 ^= mixK1(k1);
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
