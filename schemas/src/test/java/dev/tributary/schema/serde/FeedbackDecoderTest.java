package dev.tributary.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class FeedbackDecoderTest {
    private final FeedbackDecoder decoder = new FeedbackDecoder(EventLimits.DEFAULT);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesTheDocumentedJsonForm() {
        Feedback f = decoder.decode(utf8("{\"id\":\"imp-81\",\"model\":\"ctr\",\"label\":1}"), 7L);
        assertThat(f).isEqualTo(new Feedback("imp-81", "ctr", 1.0, 7L));
        assertThat(decoder.decode(utf8(" {\"id\":\"d\",\"model\":\"eta\",\"label\":41.5,\"timestamp\":99}"), 7L))
                .isEqualTo(new Feedback("d", "eta", 41.5, 99L));
        assertThat(decoder.decode(utf8("{\"id\":\"b\",\"model\":\"ctr\",\"label\":false}"), 7L)
                        .getLabel())
                .isZero();
    }

    @Test
    void decodesAvroAndGivesAZeroTimestampTheRecordsTime() {
        AvroCodec<Feedback> codec = AvroCodec.of(Feedback.class);
        assertThat(decoder.decode(codec.encode(new Feedback("a", "ctr", 0.0, 5L)), 7L))
                .isEqualTo(new Feedback("a", "ctr", 0.0, 5L));
        assertThat(decoder.decode(codec.encode(new Feedback("a", "ctr", 0.0, 0L)), 7L)
                        .getTimestamp())
                .isEqualTo(7L);
    }

    @Test
    void refusesBadFeedbackWithAReason() {
        byte[] avro = AvroCodec.of(Feedback.class).encode(new Feedback("a", "ctr", 1.0, 5L));
        assertReason(new byte[0], "empty value: expected a JSON object or an Avro Feedback");
        assertReason(new byte[] {1, 2, 3}, "neither a JSON object nor an Avro Feedback");
        assertReason(Arrays.copyOf(avro, avro.length - 3), "truncated or corrupt Avro");
        assertReason(utf8("[1]"), "JSON feedback must be an object, got array");
        assertReason(utf8("{\"model\":\"ctr\",\"label\":1}"), "missing 'id'");
        assertReason(utf8("{\"id\":\"a\",\"label\":1}"), "missing 'model'");
        assertReason(utf8("{\"id\":\"a\",\"model\":\"ctr\"}"), "missing 'label'");
        assertReason(utf8("{\"id\":\"a\",\"model\":\"ctr\",\"label\":\"yes\"}"), "'label' must be a number");
        assertReason(utf8("{\"id\":\"a\",\"model\":\"ctr\",\"label\":NaN}"), "'label' is NaN");
        assertReason(utf8("{\"id\":\"\",\"model\":\"ctr\",\"label\":1}"), "'id' is empty");
        assertReason(utf8("{\"id\":\"a\",\"model\":\"c/t\",\"label\":1}"), "model name 'c/t' is invalid");
        assertReason(
                utf8("{\"id\":\"a\",\"model\":\"ctr\",\"label\":1,\"timestamp\":1.5}"), "'timestamp' must be epoch");
    }

    @Test
    void anEventIsNotFeedback() {
        byte[] event = AvroCodec.of(Event.class)
                .encode(Event.newBuilder()
                        .setId("e")
                        .setModel("m")
                        .setFeatures(java.util.Map.of())
                        .setTimestamp(1)
                        .build());
        assertThatThrownBy(() -> decoder.decode(event, 0L)).isInstanceOf(DecodeException.class);
    }

    @Test
    void learnsANewerWriterSchemaFromTheSchemasTopic() throws Exception {
        // A newer Feedback with a field this release does not know, added with a default.
        Schema newer = SchemaBuilder.record("Feedback")
                .namespace("dev.tributary.schema")
                .fields()
                .requiredString("id")
                .requiredString("model")
                .requiredDouble("label")
                .name("timestamp")
                .type()
                .longType()
                .longDefault(0)
                .name("source")
                .type()
                .stringType()
                .stringDefault("")
                .endRecord();
        GenericRecord record = new GenericData.Record(newer);
        record.put("id", "n1");
        record.put("model", "ctr");
        record.put("label", 1.0);
        record.put("timestamp", 5L);
        record.put("source", "app");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer)
                .encode(record)
                .array();
        assertThatThrownBy(() -> decoder.decode(bytes, 0L)).isInstanceOf(UnknownWriterSchemaException.class);

        assertThat(WriterSchemas.recordNames()).contains("dev.tributary.schema.Feedback");
        FeedbackDecoder learning = new FeedbackDecoder(
                EventLimits.DEFAULT, () -> WriterSchemas.learn(newer).isEmpty());
        assertThat(learning.decode(bytes, 0L)).isEqualTo(new Feedback("n1", "ctr", 1.0, 5L));
    }

    @Test
    void enforcesTheSizeLimit() {
        FeedbackDecoder small = new FeedbackDecoder(new EventLimits(64, 2, 1e15));
        assertThatThrownBy(() -> small.decode(new byte[65], 0L))
                .hasMessageContaining("65 bytes, over the limit of 64 bytes per feedback");
    }

    private void assertReason(byte[] value, String reason) {
        assertThatThrownBy(() -> decoder.decode(value, 0L))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining(reason);
    }
}
