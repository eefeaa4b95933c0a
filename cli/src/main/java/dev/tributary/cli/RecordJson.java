package dev.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.functions.PredictionJson;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.DecodeException;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One consumed record as one JSON object. A registry record and JSON events are known by their
 * topic; any Avro record of Tributary's (a prediction on a function's own output topic, a usage
 * record, an Avro event inside a dead letter, ...) by the writer schema's fingerprint in its
 * single-object header, which the process's codecs know from their history and the schemas topic.
 */
final class RecordJson {
    private final Topics topics;
    private final AvroCodec<RegistryRecord> registry = AvroCodec.of(RegistryRecord.class);
    private final EventDecoder events = new EventDecoder(EventLimits.DEFAULT);
    private static final List<AvroCodec<? extends SpecificRecord>> CODECS = List.of(
            AvroCodec.of(Prediction.class),
            AvroCodec.of(UsageRecord.class),
            AvroCodec.of(Event.class),
            AvroCodec.of(RegistryRecord.class),
            AvroCodec.of(DriftAlert.class));

    RecordJson(Topics topics) {
        this.topics = topics;
    }

    ObjectNode render(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(topics.models())) {
                return registry(r);
            }
            if (r.topic().equals(topics.events())) {
                return event(events.decode(r.value(), r.timestamp()));
            }
            SpecificRecord record = decode(r.value());
            if (record instanceof Prediction p) {
                return prediction(p);
            }
            if (record instanceof UsageRecord u) {
                return usage(u);
            }
            if (record instanceof DriftAlert a) {
                return alert(a);
            }
            ObjectNode raw = raw(r);
            if (record instanceof Event e) { // an Avro event, in a dead letter or on a trigger topic of a function
                raw.remove("valueBase64");
                raw.set("event", event(e));
            } else if (record != null) {
                raw.remove("valueBase64");
                raw.set(record.getSchema().getName(), parse(record.toString()));
            }
            return raw;
        } catch (DecodeException e) {
            ObjectNode raw = raw(r);
            raw.put("decodeError", e.getMessage());
            return raw;
        }
    }

    /** The Tributary record whose writer schema the value's header names, or null when it is not one. */
    static SpecificRecord decode(byte[] value) {
        OptionalLong fingerprint = AvroCodec.writerFingerprint(value);
        if (fingerprint.isEmpty()) {
            return null;
        }
        for (AvroCodec<? extends SpecificRecord> codec : CODECS) {
            if (codec.knows(fingerprint.getAsLong())) {
                return codec.decode(value);
            }
        }
        return null;
    }

    /** A prediction as a flat object. */
    static ObjectNode prediction(Prediction p) {
        return PredictionJson.node(p);
    }

    /** A usage record as a flat object, with its fields' names. */
    static ObjectNode usage(UsageRecord u) {
        ObjectNode json = Json.object();
        json.put("function", u.getFunction());
        json.put("model", u.getModel());
        json.put("instance", u.getInstance());
        json.put("task", u.getTask());
        json.put("intervalStart", u.getIntervalStart());
        json.put("intervalEnd", u.getIntervalEnd());
        json.put("invocations", u.getInvocations());
        json.put("errors", u.getErrors());
        json.put("cpuMillis", u.getCpuMillis());
        json.put("heapBytes", u.getHeapBytes());
        json.put("gbSeconds", u.getGbSeconds());
        return json;
    }

    /** A drift alert as a flat object; its source as topic, partition and offset. */
    static ObjectNode alert(DriftAlert a) {
        ObjectNode json = Json.object();
        json.put("model", a.getModel());
        json.put("version", a.getVersion());
        json.put("detector", a.getDetector());
        json.put("metric", a.getMetric());
        json.put("position", a.getPosition());
        json.put("before", a.getBefore());
        json.put("after", a.getAfter());
        json.put("detectedAt", a.getDetectedAt());
        if (a.getSource() != null) {
            json.put("sourceTopic", a.getSource().getTopic());
            json.put("sourcePartition", a.getSource().getPartition());
            json.put("sourceOffset", a.getSource().getFromOffset());
        }
        json.put("producedBy", a.getProducedBy());
        return json;
    }

    static ObjectNode event(Event e) {
        ObjectNode json = Json.object();
        json.put("id", e.getId());
        json.put("model", e.getModel());
        ObjectNode features = json.putObject("features");
        e.getFeatures().forEach(features::put);
        ObjectNode categories = json.putObject("categories");
        e.getCategories().forEach(categories::put);
        if (e.getLabel() == null) {
            json.putNull("label");
        } else {
            json.put("label", e.getLabel());
        }
        json.put("timestamp", e.getTimestamp());
        return json;
    }

    private ObjectNode registry(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode json = Json.object();
        json.put("key", text(r.key()));
        if (r.value() == null) {
            json.putNull("value");
            return json;
        }
        Object entry = registry.decode(r.value()).getEntry();
        json.put("type", entry.getClass().getSimpleName());
        if (entry instanceof ModelVersion v) {
            json.set("value", VersionJson.render(v));
        } else {
            json.set("value", parse(entry.toString()));
        }
        return json;
    }

    private static JsonNode parse(String avroJson) {
        try {
            return Json.MAPPER.readTree(avroJson);
        } catch (java.io.IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(avroJson);
        }
    }

    /** Key, value (UTF-8 text when printable, else base64) and headers: how dead letters are shown. */
    static ObjectNode raw(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode json = Json.object();
        json.put("topic", r.topic());
        json.put("partition", r.partition());
        json.put("offset", r.offset());
        json.put("timestamp", r.timestamp());
        putBytes(json, "key", r.key());
        putBytes(json, "value", r.value());
        ObjectNode headers = json.putObject("headers");
        for (Header h : r.headers()) {
            headers.put(
                    h.key(),
                    h.value() == null
                            ? null
                            : printable(h.value())
                                    ? text(h.value())
                                    : "base64:" + Base64.getEncoder().encodeToString(h.value()));
        }
        return json;
    }

    private static void putBytes(ObjectNode json, String field, byte[] bytes) {
        if (bytes == null) {
            json.putNull(field);
        } else if (printable(bytes)) {
            json.put(field, text(bytes));
        } else {
            json.put(field + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Valid UTF-8 without control characters other than tab and line breaks. */
    static boolean printable(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
