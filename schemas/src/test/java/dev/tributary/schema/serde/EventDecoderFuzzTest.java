package dev.tributary.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded random mutator over valid Avro and JSON events (bit flips, byte changes, truncation,
 * insertion, deletion, splicing of two inputs, duplication), over a fixed number of inputs. Whatever the
 * bytes, {@link EventDecoder#decode} either throws {@link DecodeException} or returns an event that
 * keeps the documented invariants: non-empty id, a valid model name, at most {@code maxFeatures}
 * entries, finite features within {@code maxAbsFeatureValue}, a finite label if any.
 *
 * <p>The seed is fixed, so a failure reproduces; the normal build tries {@value #DEFAULT_INPUTS} inputs. The
 * {@code fuzz} profile tries many more: {@code mvn -B -Pfuzz test -pl schemas -am -Dtest=EventDecoderFuzzTest}
 * (other seeds with {@code -Dtributary.fuzz.seed=N}, another budget with {@code -Dtributary.fuzz.inputs=N}).
 */
class EventDecoderFuzzTest {
    private static final EventLimits LIMITS = new EventLimits(64 * 1024, 200, 1e9);
    static final long DEFAULT_SEED = 20_261_205L;
    static final long DEFAULT_INPUTS = 50_000;
    private final EventDecoder decoder = new EventDecoder(LIMITS);

    @Test
    void nothingButDecodeExceptionEscapesAndEveryAcceptedEventIsValid() {
        long seed = Long.getLong("tributary.fuzz.seed", DEFAULT_SEED);
        long inputs = Long.getLong("tributary.fuzz.inputs", DEFAULT_INPUTS);
        Random random = new Random(seed);
        List<byte[]> corpus = seeds(random);
        long runs = 0;
        long accepted = 0;
        Map<String, Integer> reasons = new HashMap<>();
        while (runs < inputs) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), corpus, random);
            runs++;
            Event event;
            try {
                event = decoder.decode(input, 0L);
            } catch (DecodeException e) {
                assertThat(e.getMessage())
                        .as("reason for %s (seed %d)", show(input), seed)
                        .isNotBlank();
                reasons.merge(e.getMessage().replaceAll("[0-9'\"].*", ""), 1, Integer::sum);
                continue;
            } catch (Throwable t) {
                throw new AssertionError(
                        "seed " + seed + ", run " + runs + ": " + t + " escaped EventDecoder.decode for " + show(input),
                        t);
            }
            accepted++;
            assertInvariants(event, input, seed);
            if (corpus.size() < 2_000 && random.nextInt(8) == 0) {
                corpus.add(input); // an accepted mutant is a good parent: it stays near the valid region
            }
        }
        System.out.printf(
                "EventDecoder fuzz: seed %d, %d inputs, %d accepted, %d distinct reasons%n",
                seed, runs, accepted, reasons.size());
        assertThat(accepted)
                .as("mutants accepted (the mutator must stay near valid inputs too)")
                .isPositive();
    }

    static void assertInvariants(Event e, byte[] input, long seed) {
        String where = "accepted " + show(input) + " (seed " + seed + ")";
        assertThat(e.getId()).as(where).isNotEmpty();
        assertThat(EventDecoder.MODEL_NAME.matcher(e.getModel()).matches())
                .as(where + ": model " + e.getModel())
                .isTrue();
        assertThat(e.getFeatures().size() + e.getCategories().size())
                .as(where)
                .isLessThanOrEqualTo(LIMITS.maxFeatures());
        for (Double v : e.getFeatures().values()) {
            assertThat(v).as(where).isNotNull();
            assertThat(Double.isFinite(v) && Math.abs(v) <= LIMITS.maxAbsFeatureValue())
                    .as(where + ": feature " + v)
                    .isTrue();
        }
        if (e.getLabel() != null) {
            assertThat(Double.isFinite(e.getLabel())).as(where + ": label").isTrue();
        }
    }

    /** Valid events of both encodings, small and larger, with every optional part present or not. */
    static List<byte[]> seeds(Random random) {
        List<byte[]> seeds = new ArrayList<>();
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        for (int i = 0; i < 20; i++) {
            Map<String, Double> features = new HashMap<>();
            Map<String, String> categories = new HashMap<>();
            int n = i % 5 == 0 ? 50 : 1 + random.nextInt(5);
            for (int f = 0; f < n; f++) {
                features.put("x" + f, random.nextGaussian() * Math.pow(10, random.nextInt(6)));
            }
            if (i % 2 == 0) {
                categories.put("city", i % 4 == 0 ? "Oslo" : "Zürich");
            }
            Event e = Event.newBuilder()
                    .setId("e-" + i)
                    .setModel(i % 3 == 0 ? "house.prices_v2" : "m" + i)
                    .setFeatures(features)
                    .setCategories(categories)
                    .setLabel(i % 3 == 1 ? null : (double) (i % 2))
                    .setTimestamp(1_700_000_000_000L + i)
                    .build();
            seeds.add(avro.encode(e));
            StringBuilder json = new StringBuilder("{\"id\":\"")
                    .append(e.getId())
                    .append("\",\"model\":\"")
                    .append(e.getModel())
                    .append("\",\"features\":{");
            int k = 0;
            for (Map.Entry<String, Double> f : features.entrySet()) {
                json.append(k++ == 0 ? "" : ",")
                        .append('"')
                        .append(f.getKey())
                        .append("\":")
                        .append(f.getValue());
            }
            json.append('}');
            if (!categories.isEmpty()) {
                json.append(",\"categories\":{\"city\":\"")
                        .append(categories.get("city"))
                        .append("\"}");
            }
            if (e.getLabel() != null) {
                json.append(",\"label\":").append(i % 4 == 0 ? (e.getLabel() == 1.0 ? "true" : "false") : e.getLabel());
            }
            if (i % 2 == 1) {
                json.append(",\"timestamp\":").append(e.getTimestamp());
            }
            seeds.add(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
        }
        return seeds;
    }

    /** One to four stacked mutations of a parent. */
    static byte[] mutate(byte[] parent, List<byte[]> corpus, Random random) {
        byte[] b = parent.clone();
        int steps = 1 + random.nextInt(4);
        for (int s = 0; s < steps; s++) {
            b = switch (random.nextInt(8)) {
                case 0 -> flipBit(b, random);
                case 1 -> setByte(b, random);
                case 2 -> truncate(b, random);
                case 3 -> insert(b, random);
                case 4 -> delete(b, random);
                case 5 -> splice(b, corpus.get(random.nextInt(corpus.size())), random);
                case 6 -> duplicate(b, random);
                default -> interesting(b, random);
            };
        }
        return b;
    }

    static byte[] flipBit(byte[] b, Random r) {
        if (b.length > 0) {
            int i = r.nextInt(b.length);
            b[i] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    static byte[] setByte(byte[] b, Random r) {
        if (b.length > 0) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    static byte[] truncate(byte[] b, Random r) {
        return b.length == 0 ? b : Arrays.copyOf(b, r.nextInt(b.length));
    }

    static byte[] insert(byte[] b, Random r) {
        byte[] extra = new byte[1 + r.nextInt(8)];
        r.nextBytes(extra);
        return spliceIn(b, r.nextInt(b.length + 1), extra, 0);
    }

    static byte[] delete(byte[] b, Random r) {
        if (b.length < 2) {
            return b;
        }
        int from = r.nextInt(b.length);
        int len = 1 + r.nextInt(Math.min(16, b.length - from));
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, from + len, out, from, b.length - from - len);
        return out;
    }

    /** The head of one input followed by the tail of another. */
    static byte[] splice(byte[] a, byte[] other, Random r) {
        int cutA = a.length == 0 ? 0 : r.nextInt(a.length + 1);
        int cutB = other.length == 0 ? 0 : r.nextInt(other.length + 1);
        byte[] out = Arrays.copyOf(a, cutA + other.length - cutB);
        System.arraycopy(other, cutB, out, cutA, other.length - cutB);
        return out;
    }

    static byte[] duplicate(byte[] b, Random r) {
        if (b.length == 0 || b.length > 16 * 1024) {
            return b;
        }
        int from = r.nextInt(b.length);
        int len = 1 + r.nextInt(Math.min(64, b.length - from));
        return spliceIn(b, r.nextInt(b.length + 1), Arrays.copyOfRange(b, from, from + len), 0);
    }

    /** Values that break parsers: Avro varints claiming huge lengths or counts, extreme numbers in text. */
    static byte[] interesting(byte[] b, Random r) {
        byte[][] choices = {
            {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // zig-zag varint: -2^31
            {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // 2^31 - 1
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01},
            {0x01},
            {0x00},
            {(byte) 0x7F},
            "NaN".getBytes(StandardCharsets.US_ASCII),
            "1e308".getBytes(StandardCharsets.US_ASCII),
            "-Infinity".getBytes(StandardCharsets.US_ASCII),
            "null".getBytes(StandardCharsets.US_ASCII),
            "\"\\u0000\"".getBytes(StandardCharsets.US_ASCII),
            "99999999999999999999999".getBytes(StandardCharsets.US_ASCII),
            "{".repeat(2000).getBytes(StandardCharsets.US_ASCII),
            "[".repeat(2000).getBytes(StandardCharsets.US_ASCII),
        };
        byte[] pick = choices[r.nextInt(choices.length)];
        if (r.nextBoolean() && b.length > pick.length) {
            byte[] out = b.clone();
            System.arraycopy(pick, 0, out, r.nextInt(b.length - pick.length + 1), pick.length);
            return out;
        }
        return spliceIn(b, r.nextInt(b.length + 1), pick, 0);
    }

    static byte[] spliceIn(byte[] b, int at, byte[] extra, int unused) {
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    static String show(byte[] b) {
        StringBuilder hex = new StringBuilder(b.length + " bytes: ");
        for (int i = 0; i < Math.min(b.length, 200); i++) {
            hex.append(String.format("%02x", b[i] & 0xFF));
        }
        return hex.append(b.length > 200 ? "..." : "").toString();
    }
}
