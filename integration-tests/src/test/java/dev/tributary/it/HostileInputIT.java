package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.DeadLetters;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile inputs against a real broker and a running functions instance. Each one
 * ends in the dead-letter topic exactly once, with a reason a person can read, and the functions
 * keep running: a valid event sent right after each hostile one is scored. The list of inputs with
 * the reason each got is printed (and kept in target/hostile-inputs.txt).
 */
class HostileInputIT {
    static final String MODEL = "hostile";
    static final List<String> FEATURES = List.of("x1", "x2");
    static final int FIVE_MB = 5 * 1024 * 1024;

    static TestBroker kafka;
    static FunctionsRunner functions;
    static Map<String, Object> client;
    /** Key (or {@link #NULL_KEY}) → [description, fragment the reason must contain], in sending order. */
    static final Map<String, String[]> hostile = new LinkedHashMap<>();

    static final List<String> validIds = new ArrayList<>();
    static final String NULL_KEY = "(null key)";
    static Outputs outputs;

    @BeforeAll
    static void sendTheCorpus(@TempDir Path stateDir) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        Topics topics = Topics.defaults();
        try (Admin admin = Admin.create(client)) {
            // The events topic takes values up to 8 MiB here, so that the 5 MB value reaches the decoder.
            Topics.create(
                    admin,
                    List.of(new NewTopic(topics.events(), 2, (short) -1)
                            .configs(Map.of("max.message.bytes", String.valueOf(8 << 20)))));
        }
        functions = FunctionsRunner.start(
                FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir).withApplicationId("hostile-it"));
        try (ModelRegistry registry = new ModelRegistry(client, topics.models())) {
            registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, FEATURES)
                    .build());
        }
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();

        Map<String, Object> props = new HashMap<>(client);
        props.put("max.request.size", 8 << 20);
        props.put("enable.idempotence", true);
        props.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> out =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) {
                sendValid(out);
            }
            for (Map.Entry<String, Input> input : corpus().entrySet()) {
                Input in = input.getValue();
                String key = input.getKey();
                hostile.put(in.nullKey() ? NULL_KEY : key, new String[] {in.description(), in.reason()});
                out.send(new ProducerRecord<>(topics.events(), in.nullKey() ? null : utf8(key), in.value()))
                        .get(30, TimeUnit.SECONDS);
                sendValid(out); // the functions must still be there after each one
            }
            // A valid event with no key is not hostile: it is scored like any other (its prediction has no key either).
            Event keyless = valid("valid-keyless");
            out.send(new ProducerRecord<>(
                    topics.events(), null, AvroCodec.of(Event.class).encode(keyless)));
            validIds.add(keyless.getId());
            for (int i = 0; i < 10; i++) {
                sendValid(out);
            }
            out.flush();
        }
        outputs = new Outputs(client, topics, "hostile-it-reader")
                .readUntil(validIds.size(), hostile.size(), Duration.ofSeconds(90), Duration.ofSeconds(2));
    }

    record Input(String description, byte[] value, String reason, boolean nullKey) {
        Input(String description, byte[] value, String reason) {
            this(description, value, reason, false);
        }
    }

    static Map<String, Input> corpus() {
        Map<String, Input> c = new LinkedHashMap<>();
        Random random = new Random(6);
        AvroCodec<Event> avro = AvroCodec.of(Event.class);
        byte[] validAvro = avro.encode(valid("template"));

        c.put("empty", new Input("empty value", new byte[0], "empty value"));
        c.put("tombstone", new Input("null value (a tombstone)", null, "empty value"));
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = 0x7F;
        c.put("random", new Input("64 random bytes", noise, "neither a JSON object nor an Avro Event"));
        c.put(
                "truncated-avro",
                new Input(
                        "a valid Avro event cut in half",
                        Arrays.copyOf(validAvro, validAvro.length / 2),
                        "truncated or corrupt Avro Event"));
        c.put(
                "avro-header-only",
                new Input("the Avro magic and 3 more bytes", Arrays.copyOf(validAvro, 5), "truncated Avro Event"));
        c.put(
                "unknown-fingerprint",
                new Input(
                        "a valid Avro record of an unknown schema",
                        unknownSchemaRecord(),
                        "unknown Avro schema fingerprint"));
        byte[] hugeClaim = Arrays.copyOf(validAvro, 16);
        hugeClaim[10] = (byte) 0xFE;
        hugeClaim[11] = (byte) 0xFF;
        hugeClaim[12] = (byte) 0xFF;
        hugeClaim[13] = (byte) 0xFF;
        hugeClaim[14] = 0x0F;
        c.put(
                "avro-2gb-string",
                new Input("Avro whose id claims 2^31-1 bytes", hugeClaim, "corrupt Avro: a string claims"));
        c.put(
                "json-array",
                new Input(
                        "JSON that is not an object: an array",
                        utf8("[1,2,3]"),
                        "JSON event must be an object, got array"));
        c.put(
                "json-string",
                new Input(
                        "JSON that is not an object: a string",
                        utf8("\"hello\""),
                        "JSON event must be an object, got string"));
        c.put(
                "json-number",
                new Input(
                        "JSON that is not an object: a number", utf8("42"), "neither a JSON object nor an Avro Event"));
        c.put("malformed-json", new Input("malformed JSON", utf8("{\"id\":\"x\",\"model\":"), "malformed JSON"));
        c.put(
                "deep-json",
                new Input(
                        "JSON nested 5,000 deep",
                        utf8("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)),
                        "malformed JSON"));
        c.put(
                "wrong-feature-type",
                new Input(
                        "a feature that is a string",
                        json("{\"x1\":\"abc\",\"x2\":1}", null),
                        "feature 'x1' must be a number, got string"));
        c.put(
                "features-array",
                new Input(
                        "features as an array",
                        json("[1,2]", null),
                        "'features' must be an object of name: number, got array"));
        c.put(
                "id-object",
                new Input(
                        "an id that is an object",
                        utf8("{\"id\":{\"a\":1},\"model\":\"" + MODEL + "\",\"features\":{\"x1\":1,\"x2\":1}}"),
                        "'id' must be a string"));
        c.put(
                "missing-id",
                new Input(
                        "no id",
                        utf8("{\"model\":\"" + MODEL + "\",\"features\":{\"x1\":1,\"x2\":1}}"),
                        "missing 'id'"));
        c.put(
                "empty-id",
                new Input(
                        "an empty id",
                        utf8("{\"id\":\"\",\"model\":\"" + MODEL + "\",\"features\":{\"x1\":1,\"x2\":1}}"),
                        "'id' is empty"));
        c.put(
                "label-yes",
                new Input(
                        "a label of \"yes\"",
                        json("{\"x1\":1,\"x2\":1}", "\"yes\""),
                        "'label' must be a number (0 or 1 for classifiers), got string \"yes\""));
        c.put(
                "label-2",
                new Input(
                        "a label of 2 for a classifier", json("{\"x1\":1,\"x2\":1}", "2"), "label 2.0 is not 0 or 1"));
        c.put("nan", new Input("a NaN feature", json("{\"x1\":NaN,\"x2\":1}", "1"), "feature 'x1' is NaN"));
        c.put(
                "infinity",
                new Input("an Infinity feature", json("{\"x1\":Infinity,\"x2\":1}", "1"), "feature 'x1' is Infinity"));
        c.put(
                "avro-nan",
                new Input("a NaN feature in Avro", avro.encode(withFeature("x1", Double.NaN)), "feature 'x1' is NaN"));
        c.put(
                "1e308",
                new Input(
                        "a feature of 1e308",
                        json("{\"x1\":1e308,\"x2\":1}", "1"),
                        "feature 'x1' = 1.0E308 is beyond the accepted magnitude 1.0E15"));
        c.put("nan-label", new Input("a NaN label", json("{\"x1\":1,\"x2\":1}", "NaN"), "'label' is NaN"));
        c.put(
                "100k-features",
                new Input(
                        "100,000 features in one event (about 0.9 MB of JSON)",
                        manyFeatures(100_000),
                        "event has 100000 features, over the limit of 10000"));
        byte[] big = new byte[FIVE_MB];
        Arrays.fill(big, (byte) ' ');
        big[FIVE_MB - 2] = '{';
        big[FIVE_MB - 1] = '}';
        c.put(
                "5mb",
                new Input("a 5 MB value", big, "value is 5242880 bytes, over the limit of 1048576 bytes per event"));
        c.put("missing-feature", new Input("a feature the model needs is missing", json("{\"x1\":1}", "1"), "x2"));
        c.put(
                "unknown-model",
                new Input(
                        "an unknown model",
                        utf8("{\"id\":\"u\",\"model\":\"no-such-model\",\"features\":{\"x1\":1,\"x2\":1}}"),
                        "unknown model 'no-such-model'"));
        c.put(
                "control-chars",
                new Input(
                        "a model name with control characters",
                        utf8("{\"id\":\"c\",\"model\":\"bad\\u0007model\\n\",\"features\":{\"x1\":1,\"x2\":1}}"),
                        "model name 'bad\\u0007model\\u000a' is invalid"));
        c.put(
                "slash-model",
                new Input(
                        "a model name with a separator",
                        utf8("{\"id\":\"s\",\"model\":\"a/b\",\"features\":{}}"),
                        "model name 'a/b' is invalid"));
        c.put(
                "null-key",
                new Input(
                        "a null key with an undecodable value",
                        utf8("not an event"),
                        "neither a JSON object nor an Avro Event",
                        true));
        return c;
    }

    // -- the checks

    @Test
    void everyHostileInputIsOneDeadLetterWithItsReason() {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : outputs.deadLetters) {
            String key = r.key() == null ? NULL_KEY : new String(r.key(), StandardCharsets.UTF_8);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        StringBuilder table = new StringBuilder("Hostile inputs and the reason each got (" + hostile.size() + "):\n");
        hostile.forEach((key, expected) -> {
            List<ConsumerRecord<byte[], byte[]>> got = byKey.getOrDefault(key, List.of());
            String reason = got.isEmpty()
                    ? "(no dead letter)"
                    : DeadLetters.header(got.get(0).headers(), DeadLetters.ERROR_MESSAGE);
            String kind = got.isEmpty() ? "-" : DeadLetters.header(got.get(0).headers(), DeadLetters.ERROR_CLASS);
            table.append(String.format(Locale.ROOT, "  %-55s %-13s %s%n", expected[0], kind, reason));
        });
        System.out.print(table);
        try {
            java.nio.file.Files.writeString(Path.of("target", "hostile-inputs.txt"), table);
        } catch (java.io.IOException e) {
            // the printed table is enough
        }

        assertThat(byKey.keySet()).as("dead-lettered keys").isEqualTo(hostile.keySet());
        hostile.forEach((key, expected) -> {
            List<ConsumerRecord<byte[], byte[]>> got = byKey.get(key);
            assertThat(got).as("dead letters of %s", expected[0]).hasSize(1);
            ConsumerRecord<byte[], byte[]> r = got.get(0);
            assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE))
                    .as("reason for %s", expected[0])
                    .contains(expected[1])
                    .doesNotContain("\n")
                    .doesNotContain("\u0007")
                    .hasSizeLessThan(400);
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                    .isEqualTo(Topics.defaults().events());
            assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET))
                    .matches("\\d+");
        });
    }

    @Test
    void deadLettersKeepTheOriginalBytesAndCutOnlyWhatIsTooLarge() {
        for (ConsumerRecord<byte[], byte[]> r : outputs.deadLetters) {
            String key = r.key() == null ? NULL_KEY : new String(r.key(), StandardCharsets.UTF_8);
            if (key.equals("5mb")) {
                assertThat(r.value()).hasSize(DeadLetters.MAX_VALUE_BYTES);
                assertThat(DeadLetters.header(r.headers(), DeadLetters.ORIGINAL_VALUE_BYTES))
                        .isEqualTo(String.valueOf(FIVE_MB));
            } else if (key.equals("tombstone")) {
                assertThat(r.value()).isNull();
            } else {
                assertThat(DeadLetters.header(r.headers(), DeadLetters.ORIGINAL_VALUE_BYTES))
                        .isNull();
                assertThat(r.value()).as("value of %s", key).isNotNull();
            }
        }
    }

    @Test
    void theFunctionsKeptRunningAndScoredEveryValidEventOnce() {
        Map<String, Integer> perEvent = outputs.predictionsPerEvent();
        assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(validIds);
        assertThat(Set.copyOf(perEvent.values())).containsOnly(1);
        assertThat(functions.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(functions.stats().deadLetters.sum()).isEqualTo(hostile.size());
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(outputs, functions, kafka);
    }

    // -- inputs

    static void sendValid(KafkaProducer<byte[], byte[]> out) throws Exception {
        Event e = valid("valid-" + validIds.size());
        validIds.add(e.getId());
        out.send(new ProducerRecord<>(
                Topics.defaults().events(),
                utf8(e.getId()),
                AvroCodec.of(Event.class).encode(e)));
    }

    static Event valid(String id) {
        return Event.newBuilder()
                .setId(id)
                .setModel(MODEL)
                .setFeatures(Map.of("x1", 0.5, "x2", -1.0))
                .setLabel(1.0)
                .setTimestamp(System.currentTimeMillis())
                .build();
    }

    static Event withFeature(String name, double value) {
        Event e = valid("avro-bad");
        Map<String, Double> f = new HashMap<>(e.getFeatures());
        f.put(name, value);
        e.setFeatures(f);
        return e;
    }

    static byte[] json(String features, String label) {
        return utf8("{\"id\":\"j\",\"model\":\"" + MODEL + "\",\"features\":" + features
                + (label == null ? "" : ",\"label\":" + label) + "}");
    }

    /** An Event-like record whose writer schema no reader was given. */
    static byte[] unknownSchemaRecord() {
        Schema schema = SchemaBuilder.record("Event")
                .namespace("dev.tributary.schema")
                .fields()
                .requiredString("id")
                .requiredString("model")
                .requiredString("surprise")
                .endRecord();
        GenericRecord r = new GenericData.Record(schema);
        r.put("id", "x");
        r.put("model", MODEL);
        r.put("surprise", "a field nobody knows");
        try {
            ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] manyFeatures(int n) {
        StringBuilder s = new StringBuilder("{\"id\":\"many\",\"model\":\"" + MODEL + "\",\"features\":{");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(Integer.toString(i, 36))
                    .append("\":0");
        }
        byte[] bytes = utf8(s.append("}}").toString());
        assertThat(bytes.length)
                .as("stays under the byte limit, so the feature count is what is refused")
                .isLessThan(EventLimits.DEFAULT.maxValueBytes());
        return bytes;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
