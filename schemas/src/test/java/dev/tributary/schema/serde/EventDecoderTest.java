package dev.tributary.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.Event;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
    private final EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Event sample() {
        return Event.newBuilder()
                .setId("e1")
                .setModel("m")
                .setFeatures(Map.of("x1", 1.5))
                .setCategories(Map.of("city", "Oslo"))
                .setLabel(1.0)
                .setTimestamp(42L)
                .build();
    }

    @Test
    void decodesTheDocumentedJsonForm() {
        Event e = decoder.decode(
                utf8(
                        "{\"id\":\"e1\",\"model\":\"m\",\"features\":{\"x1\":1.5},\"categories\":{\"city\":\"Oslo\"},\"label\":1}"),
                7L);
        assertThat(e.getId()).isEqualTo("e1");
        assertThat(e.getModel()).isEqualTo("m");
        assertThat(e.getFeatures()).containsEntry("x1", 1.5);
        assertThat(e.getCategories()).containsEntry("city", "Oslo");
        assertThat(e.getLabel()).isEqualTo(1.0);
        assertThat(e.getTimestamp()).isEqualTo(7L);
    }

    @Test
    void optionalJsonFieldsDefault() {
        Event e = decoder.decode(utf8(" {\"id\":\"e2\",\"model\":\"m\",\"features\":{},\"timestamp\":99}"), 7L);
        assertThat(e.getCategories()).isEmpty();
        assertThat(e.getLabel()).isNull();
        assertThat(e.getTimestamp()).isEqualTo(99L);
    }

    @Test
    void decodesAvroSingleObjectEncoding() {
        byte[] bytes = AvroCodec.of(Event.class).encode(sample());
        assertThat(decoder.decode(bytes, 0L)).isEqualTo(sample());
    }

    @Test
    void readsEventsWrittenWithAnOlderSchema() {
        // An earlier Event had neither categories nor a timestamp default: the reader fills categories with {}.
        Schema older = SchemaBuilder.record("Event")
                .namespace("dev.tributary.schema")
                .fields()
                .requiredString("id")
                .requiredString("model")
                .name("features")
                .type()
                .map()
                .values()
                .doubleType()
                .noDefault()
                .name("label")
                .type()
                .unionOf()
                .nullType()
                .and()
                .doubleType()
                .endUnion()
                .nullDefault()
                .requiredLong("timestamp")
                .endRecord();
        GenericRecord old = new GenericData.Record(older);
        old.put("id", "old-1");
        old.put("model", "m");
        old.put("features", Map.of("x1", 2.0));
        old.put("label", 0.0);
        old.put("timestamp", 5L);
        byte[] bytes;
        try {
            bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older)
                    .encode(old)
                    .array();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> decoder.decode(bytes, 0L))
                .isInstanceOf(UnknownWriterSchemaException.class)
                .hasMessageContaining("unknown Avro schema fingerprint")
                .hasMessageContaining("tributary schemas register");

        // The decoder waits for the schemas topic once, then decodes with what it learned there.
        EventDecoder learning = new EventDecoder(
                EventLimits.DEFAULT,
                () -> AvroCodec.of(Event.class).addWriterSchema(older).isEmpty());
        Event e = learning.decode(bytes, 0L);
        assertThat(e.getId()).isEqualTo("old-1");
        assertThat(e.getCategories()).isEmpty();
        assertThat(e.getFeatures()).containsEntry("x1", 2.0);
    }

    @Test
    void refusesBadInputWithAReason() {
        byte[] avro = AvroCodec.of(Event.class).encode(sample());
        assertReason(new byte[0], "empty value");
        assertReason(new byte[] {1, 2, 3, 4}, "neither a JSON object nor an Avro Event");
        assertReason(new byte[] {(byte) 0xC3, 1, 2}, "truncated Avro Event (3 bytes)");
        assertReason(Arrays.copyOf(avro, avro.length - 3), "truncated or corrupt Avro");
        assertReason(utf8("{\"id\":"), "malformed JSON");
        assertReason(utf8("[1,2]"), "JSON event must be an object, got array");
        assertReason(utf8("\"text\""), "JSON event must be an object, got string");
        assertReason(utf8("{\"model\":\"m\",\"features\":{}}"), "missing 'id'");
        assertReason(
                utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{\"x\":\"one\"}}"), "feature 'x' must be a number");
        assertReason(
                utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{},\"label\":\"yes\"}"), "'label' must be a number");
        assertReason(utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{\"x\":NaN}}"), "feature 'x' is NaN");
        assertReason(utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{\"x\":-Infinity}}"), "feature 'x' is -Infinity");
        assertReason(
                utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{\"x\":1e308}}"), "beyond the accepted magnitude");
        assertReason(
                utf8("{\"id\":\"e\",\"model\":\"a\\u0007b\",\"features\":{}}"), "model name 'a\\u0007b' is invalid");
        assertReason(utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":[1]}"), "'features' must be an object");
        // Found by EventDecoderFuzzTest: a length prefix claiming 2^30 bytes used to be allocated (OutOfMemoryError).
        byte[] hugeString = Arrays.copyOf(avro, 14);
        hugeString[10] = (byte) 0x80;
        hugeString[11] = (byte) 0x80;
        hugeString[12] = (byte) 0x80;
        hugeString[13] = (byte) 0x08;
        assertReason(hugeString, "corrupt Avro: a string claims 8388608 bytes in a value of 4 bytes");
    }

    @Test
    void enforcesLimits() {
        EventDecoder small = new EventDecoder(new EventLimits(64, 2, 1e15));
        assertThatThrownBy(() -> small.decode(new byte[65], 0L)).hasMessageContaining("over the limit of 64 bytes");
        assertThatThrownBy(() ->
                        small.decode(utf8("{\"id\":\"e\",\"model\":\"m\",\"features\":{\"a\":1,\"b\":2,\"c\":3}}"), 0L))
                .hasMessageContaining("3 features, over the limit of 2");
    }

    private void assertReason(byte[] value, String reason) {
        assertThatThrownBy(() -> decoder.decode(value, 0L))
                .isInstanceOf(DecodeException.class)
                .hasMessageContaining(reason);
    }
}
