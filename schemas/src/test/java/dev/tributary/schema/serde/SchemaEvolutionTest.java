package dev.tributary.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionPolicy;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Records written before the promotion fields existed (the schemas of the first release, kept in
 * {@code dev/tributary/schema/history}) still decode, with the new fields at their defaults; and a
 * newer writer's unknown promotion policy reads as MANUAL.
 */
class SchemaEvolutionTest {
    private static Schema history(String file) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/dev/tributary/schema/history/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static Schema branch(Schema union, String name) {
        return union.getTypes().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static GenericRecord oldSpec(Schema spec) {
        return new GenericRecordBuilder(spec)
                .set("name", "fraud")
                .set(
                        "algorithm",
                        new GenericData.EnumSymbol(spec.getField("algorithm").schema(), "LOGISTIC_REGRESSION"))
                .set("features", List.of("amount", "age"))
                .set("learningRate", 0.1)
                .set("publishEvery", 100L)
                .set("publishIntervalMs", 1000L)
                .set("createdAt", 1_700_000_000_000L)
                .build();
    }

    private static GenericRecord oldVersion(Schema version) {
        Schema optimizer = version.getField("optimizerState").schema();
        return new GenericRecordBuilder(version)
                .set("model", "fraud")
                .set("version", 3L)
                .set(
                        "algorithm",
                        new GenericData.EnumSymbol(version.getField("algorithm").schema(), "LOGISTIC_REGRESSION"))
                .set("featureNames", List.of("amount", "age"))
                .set("weights", Vectors.toBytes(new double[] {0.5, -0.25}))
                .set("bias", 0.1)
                .set(
                        "optimizerState",
                        new GenericRecordBuilder(optimizer)
                                .set(
                                        "kind",
                                        new GenericData.EnumSymbol(
                                                optimizer.getField("kind").schema(), "ADAGRAD"))
                                .build())
                .set("examplesSeen", 300L)
                .set("metrics", Map.of("accuracy", 0.9))
                .set("parentVersion", 2L)
                .set("producedBy", "old-instance/0_0")
                .set("createdAt", 1_700_000_000_003L)
                .build();
    }

    @Test
    void theOldModelSpecTestResourceIsTheFirstReleaseSchema() throws IOException {
        Schema fromTest;
        try (InputStream in =
                SchemaEvolutionTest.class.getResourceAsStream("/dev/tributary/schema/ModelSpec.v1.avsc")) {
            fromTest = new Schema.Parser().parse(in);
        }
        assertThat(fromTest.getField("promotion")).isNull();
        assertThat(AvroCodec.fingerprint(fromTest))
                .isEqualTo(AvroCodec.fingerprint(history("ModelSpec.v1.avsc")))
                .isNotEqualTo(AvroCodec.fingerprint(ModelSpec.getClassSchema()));
    }

    @Test
    void aModelSpecWrittenWithoutThePromotionFieldsDecodesWithTheirDefaults() throws IOException {
        Schema oldRecord = history("RegistryRecord.v1.avsc");
        Schema oldSpec = branch(oldRecord.getField("entry").schema(), "ModelSpec");
        assertThat(oldSpec.getField("promotion")).isNull();
        byte[] bytes = encode(
                oldRecord,
                new GenericRecordBuilder(oldRecord)
                        .set("entry", oldSpec(oldSpec))
                        .build());

        RegistryRecord back = AvroCodec.of(RegistryRecord.class).decode(bytes);

        ModelSpec spec = (ModelSpec) back.getEntry();
        assertThat(spec.getName()).isEqualTo("fraud");
        assertThat(spec.getLearningRate()).isEqualTo(0.1);
        assertThat(spec.getPromotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(spec.getPromotionMetric()).isEmpty();
        assertThat(spec.getPromotionMargin()).isEqualTo(0.01);
        assertThat(spec.getPromotionWindow()).isEqualTo(1000L);
    }

    @Test
    void aModelSpecWrittenBeforeLabelWaitsDriftAndShadowsDecodesWithTheirDefaults() throws IOException {
        Schema oldRecord = history("RegistryRecord.v2.avsc");
        Schema oldSpec = branch(oldRecord.getField("entry").schema(), "ModelSpec");
        assertThat(oldSpec.getField("promotion")).isNotNull();
        assertThat(oldSpec.getField("labelWaitMs")).isNull();
        byte[] bytes = encode(
                oldRecord,
                new GenericRecordBuilder(oldRecord)
                        .set("entry", oldSpec(oldSpec))
                        .build());

        ModelSpec back =
                (ModelSpec) AvroCodec.of(RegistryRecord.class).decode(bytes).getEntry();

        assertThat(back.getName()).isEqualTo("fraud");
        assertThat(back.getLabelWaitMs()).isZero();
        assertThat(back.getDefaultLabel()).isNull();
        assertThat(back.getDrift()).isEqualTo(dev.tributary.schema.DriftDetection.NONE);
        assertThat(back.getShadowAliases()).isEmpty();
    }

    @Test
    void aPredictionWrittenBeforeShadowsDecodesWithoutThem() throws IOException {
        Schema old = history("Prediction.v1.avsc");
        assertThat(old.getField("shadows")).isNull();
        byte[] bytes = encode(
                old,
                new GenericRecordBuilder(old)
                        .set("eventId", "e-1")
                        .set("model", "fraud")
                        .set("modelVersion", 4L)
                        .set(
                                "algorithm",
                                new GenericData.EnumSymbol(
                                        old.getField("algorithm").schema(), "LOGISTIC_REGRESSION"))
                        .set("value", 0.75)
                        .set("predictedClass", 1)
                        .set("margin", 1.1)
                        .set("eventTimestamp", 10L)
                        .set("scoredAt", 11L)
                        .build());

        dev.tributary.schema.Prediction back =
                AvroCodec.of(dev.tributary.schema.Prediction.class).decode(bytes);

        assertThat(back.getEventId()).isEqualTo("e-1");
        assertThat(back.getModelVersion()).isEqualTo(4L);
        assertThat(back.getValue()).isEqualTo(0.75);
        assertThat(back.getShadows()).isNull();
    }

    @Test
    void aModelVersionWrittenWithoutThePromotionDecisionDecodesWithNone() throws IOException {
        Schema oldRecord = history("RegistryRecord.v1.avsc");
        Schema oldVersion = branch(oldRecord.getField("entry").schema(), "ModelVersion");
        byte[] bytes = encode(
                oldRecord,
                new GenericRecordBuilder(oldRecord)
                        .set("entry", oldVersion(oldVersion))
                        .build());

        ModelVersion v =
                (ModelVersion) AvroCodec.of(RegistryRecord.class).decode(bytes).getEntry();

        assertThat(v.getVersion()).isEqualTo(3);
        assertThat(v.getParentVersion()).isEqualTo(2L);
        assertThat(v.getProducedBy()).isEqualTo("old-instance/0_0");
        assertThat(Vectors.fromBytes(v.getWeights())).containsExactly(0.5, -0.25);
        assertThat(v.getPromotion()).isNull();
    }

    @Test
    void aTrainerStateWrittenWithoutTheMetricWindowDecodesWithNone() throws IOException {
        Schema oldState = history("TrainerState.v1.avsc");
        GenericRecord state = new GenericRecordBuilder(oldState)
                .set("current", oldVersion(oldState.getField("current").schema()))
                .set("publishedExamples", 300L)
                .set("publishedAt", 5L)
                .build();

        TrainerState back = AvroCodec.of(TrainerState.class).decode(encode(oldState, state));

        assertThat(back.getCurrent().getExamplesSeen()).isEqualTo(300);
        assertThat(back.getPublishedExamples()).isEqualTo(300);
        assertThat(back.getWindow()).isNull();
    }

    @Test
    void aJournalEntryOfTheFirstReleaseDecodesWithItsEventAndNoBytes() throws IOException {
        Schema oldExample = history("TrainingExample.v1.avsc");
        Schema event = oldExample.getField("event").schema();
        GenericRecord example = new GenericRecordBuilder(oldExample)
                .set("sequence", 7L)
                .set(
                        "event",
                        new GenericRecordBuilder(event)
                                .set("id", "e7")
                                .set("model", "m")
                                .set("features", java.util.Map.of("a", 1.5))
                                .set("timestamp", 9L)
                                .build())
                .build();

        TrainingExample back = AvroCodec.of(TrainingExample.class).decode(encode(oldExample, example));

        assertThat(back.getSequence()).isEqualTo(7);
        assertThat(back.getEvent().getId()).isEqualTo("e7");
        assertThat(back.getEvent().getFeatures()).containsEntry("a", 1.5);
        assertThat(back.getValue().remaining()).isZero();
        assertThat(back.getSource()).isNull();
    }

    @Test
    void aPromotionPolicyThisReaderDoesNotKnowReadsAsManual() throws IOException {
        // A newer writer with a third policy: the enum's own default applies to the unknown symbol.
        String json = RegistryRecord.getClassSchema()
                .toString()
                .replace("\"symbols\":[\"MANUAL\",\"AUTO\"]", "\"symbols\":[\"MANUAL\",\"AUTO\",\"CANARY\"]");
        assertThat(json).contains("CANARY");
        Schema newer = new Schema.Parser().parse(json);
        Schema newerSpec = branch(newer.getField("entry").schema(), "ModelSpec");
        GenericRecord spec = new GenericRecordBuilder(newerSpec)
                .set("name", "fraud")
                .set(
                        "algorithm",
                        new GenericData.EnumSymbol(
                                newerSpec.getField("algorithm").schema(), "LINEAR_SVM"))
                .set("features", List.of("amount"))
                .set("learningRate", 0.1)
                .set("publishEvery", 100L)
                .set("publishIntervalMs", 1000L)
                .set("createdAt", 1L)
                .set(
                        "promotion",
                        new GenericData.EnumSymbol(
                                newerSpec.getField("promotion").schema(), "CANARY"))
                .set("promotionWindow", 50L)
                .build();
        AvroCodec<RegistryRecord> codec = AvroCodec.of(RegistryRecord.class);
        codec.addWriterSchema(newer);

        ModelSpec back = (ModelSpec) codec.decode(encode(
                        newer,
                        new GenericRecordBuilder(newer).set("entry", spec).build()))
                .getEntry();

        assertThat(back.getPromotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(back.getPromotionWindow()).isEqualTo(50L);
    }

    @Test
    void everyRecordWithAnOlderWriterHasItInTheHistory() {
        for (String name : List.of("RegistryRecord", "TrainerState", "ModelSpec", "ModelVersion", "TrainingExample")) {
            assertThat(AvroCodec.history(name)).as(name).isNotEmpty();
        }
    }

    @Test
    void aWriterSchemaThatDropsAFieldReadersNeedIsRefusedAndItsRecordsSayWhy() throws IOException {
        Schema noTimestamp = new Schema.Parser()
                .parse(dev.tributary.schema.Event.getClassSchema()
                        .toString()
                        .replace(
                                "{\"name\":\"timestamp\",\"type\":\"long\",\"doc\":\"Event time, epoch milliseconds.\"}",
                                "")
                        .replace(",]", "]"));
        assertThat(noTimestamp.getField("timestamp")).isNull();
        AvroCodec<dev.tributary.schema.Event> codec = AvroCodec.of(dev.tributary.schema.Event.class);

        assertThat(WriterSchemas.problem(noTimestamp)).get().asString().contains("timestamp");
        assertThat(codec.addWriterSchema(noTimestamp)).get().asString().contains("timestamp");
        GenericRecord event = new GenericRecordBuilder(noTimestamp)
                .set("id", "e")
                .set("model", "m")
                .set("features", Map.of())
                .build();

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> codec.decode(encode(noTimestamp, event))))
                .isInstanceOf(DecodeException.class)
                .isNotInstanceOf(UnknownWriterSchemaException.class)
                .hasMessageContaining("is incompatible")
                .hasMessageContaining("timestamp");
    }

    @Test
    void onlyTributarysRecordsAreLearnedFromTheSchemasTopic() {
        Schema other = org.apache.avro.SchemaBuilder.record("Event")
                .namespace("com.example")
                .fields()
                .requiredString("id")
                .endRecord();
        assertThat(WriterSchemas.problem(other))
                .get()
                .asString()
                .contains("com.example.Event is not one of Tributary's records");
        assertThat(WriterSchemas.problem(Schema.create(Schema.Type.STRING))).isPresent();
        assertThat(WriterSchemas.problem(dev.tributary.schema.Event.getClassSchema()))
                .isEmpty();
        assertThat(WriterSchemas.key(dev.tributary.schema.Event.getClassSchema()))
                .matches("dev\\.tributary\\.schema\\.Event/[0-9A-F]{16}");
    }

    @Test
    void aSchemasTopicValueThatIsNotASchemaIsRefused() {
        org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> junk =
                new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                        "tributary.schemas", 0, 0, "k".getBytes(), "{\"type\": \"nonsense\"}".getBytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WriterSchemas.apply(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an Avro schema");
    }
}
