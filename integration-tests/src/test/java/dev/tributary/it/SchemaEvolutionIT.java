package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.DeadLetters;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.ServingModel;
import dev.tributary.learn.FeatureVector;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.Vectors;
import dev.tributary.schema.serde.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of other releases, against a running functions instance that learns writer schemas
 * only from the schemas topic (registrations here are sent as plain records, so this JVM's decoders
 * are not taught directly): events of an older Event schema (no {@code categories}) and of a newer
 * one ({@code categories} removed, {@code source} added with a default) are both scored and
 * learned from; an event of an unregistered or an incompatible schema is dead-lettered with its
 * reason; a model version written with the first release's schema, and one written by a newer
 * release's ModelVersion, both load and serve.
 */
class SchemaEvolutionIT {
    static final Topics TOPICS = Topics.defaults();
    static final List<String> FEATURES = List.of("x1", "x2");
    static final int PER_SCHEMA = 50;

    static TestBroker kafka;
    static FunctionsRunner functions;
    static ModelRegistry registry;
    static Map<String, Object> client;
    static KafkaProducer<byte[], byte[]> out;

    static final Schema OLDER_EVENT = eventSchema(name -> !name.equals("categories"));
    static final Schema NEWER_EVENT = eventSchema(
            name -> !name.equals("categories"),
            new Schema.Field("source", Schema.create(Schema.Type.STRING), "Where the event came from.", "web"));
    /** Drops {@code timestamp}, which readers need and which has no default. */
    static final Schema INCOMPATIBLE_EVENT = eventSchema(name -> !name.equals("timestamp"));

    static final Schema UNREGISTERED_EVENT =
            eventSchema(name -> true, new Schema.Field("region", Schema.create(Schema.Type.STRING), null, "eu"));

    @BeforeAll
    static void start(@TempDir Path stateDir) throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        functions = FunctionsRunner.start(FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir)
                .withApplicationId("schema-evolution-it"));
        registry = new ModelRegistry(client, TOPICS.models());
        registry.createModel(ModelVersions.defaultSpec("evolve", Algorithm.LINEAR_REGRESSION, FEATURES)
                .build());
        registry.createModel(ModelVersions.defaultSpec("legacy", Algorithm.LINEAR_REGRESSION, FEATURES)
                .build());
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
        out = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Test
    void eventsOfAnOlderAndANewerSchemaAreScoredAndLearnedFrom_othersAreDeadLetteredWithTheirReason() throws Exception {
        send(WriterSchemas.registration(TOPICS.schemas(), OLDER_EVENT));
        send(WriterSchemas.registration(TOPICS.schemas(), NEWER_EVENT));
        // A registration no release would accept, sent anyway: its events must say why they cannot be read.
        send(new ProducerRecord<>(
                TOPICS.schemas(), utf8(WriterSchemas.key(INCOMPATIBLE_EVENT)), utf8(INCOMPATIBLE_EVENT.toString())));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PER_SCHEMA; i++) {
            ids.add(sendEvent("older-" + i, OLDER_EVENT));
            ids.add(sendEvent("newer-" + i, NEWER_EVENT));
        }
        sendEvent("unregistered", UNREGISTERED_EVENT);
        sendEvent("incompatible", INCOMPATIBLE_EVENT);
        out.flush();

        try (Outputs outputs = new Outputs(client, TOPICS, "schema-evolution-reader")
                .readUntil(ids.size(), 2, Duration.ofSeconds(60), Duration.ofSeconds(1))) {
            Map<String, Integer> perEvent = new java.util.HashMap<>(outputs.predictionsPerEvent());
            perEvent.remove("legacy-1"); // the other test's event, if it ran first
            assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(outputs.duplicates()).isZero();
            assertThat(outputs.deadLetters).hasSize(2);
            for (ConsumerRecord<byte[], byte[]> dead : outputs.deadLetters) {
                String key = new String(dead.key(), StandardCharsets.UTF_8);
                String reason = DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE);
                System.out.println("dead letter " + key + ": " + reason);
                if (key.equals("unregistered")) {
                    assertThat(reason)
                            .contains("unknown Avro schema fingerprint")
                            .contains("tributary schemas register");
                } else {
                    assertThat(key).isEqualTo("incompatible");
                    assertThat(reason).contains("is incompatible").contains("timestamp");
                }
            }
        }
        Map<String, Long> seen =
                Outputs.settledExamplesSeen(registry, Map.of("evolve", ids.size()), Duration.ofSeconds(60));
        assertThat(seen).containsEntry("evolve", (long) ids.size());
    }

    @Test
    void aVersionOfTheFirstReleaseAndOneOfANewerReleaseBothLoadAndServe() throws Exception {
        ModelVersion v0 = registry.latest("legacy").orElseThrow();
        ModelVersion v1 = ModelVersion.newBuilder(v0)
                .setVersion(1)
                .setParentVersion(0L)
                .setWeights(Vectors.toBytes(new double[] {2.0, -1.0}))
                .setBias(0.5)
                .setPromotion(null)
                .build();
        ModelVersion v2 = ModelVersion.newBuilder(v1)
                .setVersion(2)
                .setParentVersion(1L)
                .setWeights(Vectors.toBytes(new double[] {3.0, 1.0}))
                .build();
        Schema firstRelease = history("RegistryRecord.v1.avsc");
        Schema newerRelease = withFieldInModelVersion(RegistryRecord.getClassSchema(), "reviewedBy");
        assertThat(WriterSchemas.problem(newerRelease)).isEmpty();

        send(new ProducerRecord<>(
                TOPICS.models(),
                utf8(RegistryKeys.version("legacy", 1)),
                rewrite(new RegistryRecord(v1), firstRelease)));
        awaitServing("legacy", 1);
        send(WriterSchemas.registration(TOPICS.schemas(), newerRelease)); // as a newer release does before it writes
        send(new ProducerRecord<>(
                TOPICS.models(),
                utf8(RegistryKeys.version("legacy", 2)),
                rewrite(new RegistryRecord(v2), newerRelease)));
        awaitServing("legacy", 2);

        assertThat(Vectors.fromBytes(functions
                        .registryView()
                        .version("legacy", 1)
                        .orElseThrow()
                        .getWeights()))
                .containsExactly(2.0, -1.0);
        Event event = Event.newBuilder()
                .setId("legacy-1")
                .setModel("legacy")
                .setFeatures(Map.of("x1", 1.0, "x2", 2.0))
                .setTimestamp(System.currentTimeMillis())
                .build();
        send(new ProducerRecord<>(
                TOPICS.events(), utf8(event.getId()), AvroCodec.of(Event.class).encode(event)));
        try (Outputs outputs = new Outputs(client, TOPICS, "schema-evolution-legacy-reader")) {
            Prediction p = awaitPrediction(outputs, "legacy-1");
            assertThat(p.getModelVersion()).isEqualTo(2);
            ServingModel expected = ServingModel.decode(registry.spec("legacy").orElseThrow(), v2);
            FeatureVector x = new FeatureVector(4);
            assertThat(expected.featurize(event.getFeatures(), Map.of(), x)).isNull();
            assertThat(p.getValue())
                    .isEqualTo(expected.predict("legacy-1", x, 0, 0).getValue());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(out, registry, functions, kafka);
    }

    // -- helpers

    static Prediction awaitPrediction(Outputs outputs, String id) {
        outputs.readUntil(() -> outputs.predictionsPerEvent().containsKey(id), Duration.ofSeconds(30), Duration.ZERO);
        return outputs.predictions.stream()
                .filter(p -> p.getEventId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no prediction for " + id + "; dead letters: " + outputs.deadLetters.size()));
    }

    static void awaitServing(String model, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (functions
                                .registryView()
                                .latest(model)
                                .map(ModelVersion::getVersion)
                                .orElse(-1L)
                        < version
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(functions.registryView().latest(model).map(ModelVersion::getVersion))
                .as("latest version of " + model)
                .contains(version);
    }

    static String sendEvent(String id, Schema schema) throws Exception {
        Event e = Event.newBuilder()
                .setId(id)
                .setModel("evolve")
                .setFeatures(Map.of("x1", (double) id.length(), "x2", 1.0))
                .setLabel(2.0 * id.length())
                .setTimestamp(System.currentTimeMillis())
                .build();
        out.send(new ProducerRecord<>(TOPICS.events(), utf8(id), rewrite(e, schema)));
        return id;
    }

    static void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        out.send(record).get(30, TimeUnit.SECONDS);
    }

    /** The record as a writer with {@code schema} would have written it (fields it lacks dropped, new ones at their defaults). */
    static byte[] rewrite(SpecificRecord record, Schema schema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        GenericRecord asWritten = new GenericDatumReader<GenericRecord>(record.getSchema(), schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(asWritten);
        byte[] value = new byte[encoded.remaining()];
        encoded.get(value);
        return value;
    }

    static Schema eventSchema(Predicate<String> keep, Schema.Field... added) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : Event.getClassSchema().getFields()) {
            if (keep.test(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        fields.addAll(List.of(added));
        return Schema.createRecord("Event", "An Event of another release.", "dev.tributary.schema", false, fields);
    }

    /** The registry record of a newer release whose ModelVersion has one more string field (default ""). */
    static Schema withFieldInModelVersion(Schema registryRecord, String field) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(registryRecord.toString());
        for (JsonNode branch : root.get("fields").get(0).get("type")) {
            if (branch.path("name").asText().equals("ModelVersion")) {
                ObjectNode added = json.createObjectNode()
                        .put("name", field)
                        .put("type", "string")
                        .put("default", "");
                ((com.fasterxml.jackson.databind.node.ArrayNode) branch.get("fields")).add(added);
            }
        }
        return new Schema.Parser().parse(json.writeValueAsString(root));
    }

    static Schema history(String file) throws IOException {
        try (InputStream in = WriterSchemas.class.getResourceAsStream("/dev/tributary/schema/history/" + file)) {
            return new Schema.Parser().parse(in);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
