package dev.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.DriftAlert;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** One consumed record as one JSON object, by what its topic holds. */
final class RecordJson {
  private final Topics topics;
  private final AvroCodec<Prediction> predictions = AvroCodec.of(Prediction.class);
  private final AvroCodec<RegistryRecord> registry = AvroCodec.of(RegistryRecord.class);
  private final AvroCodec<UsageRecord> usage = AvroCodec.of(UsageRecord.class);
  private final AvroCodec<DriftAlert> alerts = AvroCodec.of(DriftAlert.class);
  private final EventDecoder events = new EventDecoder(EventLimits.DEFAULT);

  RecordJson(Topics topics) {
    this.topics = topics;
  }

  ObjectNode render(ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.topic().equals(topics.predictions())) {
        return prediction(predictions.decode(r.value()));
      }
      if (r.topic().equals(topics.events())) {
        return event(events.decode(r.value(), r.timestamp()));
      }
      if (r.topic().equals(topics.models())) {
        return registry(r);
      }
      if (r.topic().equals(topics.usage())) {
        return usage(usage.decode(r.value()));
      }
      if (r.topic().equals(topics.alerts())) {
        return alert(alerts.decode(r.value()));
      }
    } catch (DecodeException e) {
      ObjectNode raw = raw(r);
      raw.put("decodeError", e.getMessage());
      return raw;
    }
    return raw(r);
  }

  /** A prediction as a flat object. */
  static ObjectNode prediction(Prediction p) {
    ObjectNode json = Json.object();
    json.put("eventId", p.getEventId());
    json.put("model", p.getModel());
    json.put("modelVersion", p.getModelVersion());
    json.put("algorithm", p.getAlgorithm().name());
    json.put("value", p.getValue());
    if (p.getPredictedClass() == null) {
      json.putNull("predictedClass");
    } else {
      json.put("predictedClass", p.getPredictedClass());
    }
    json.put("margin", p.getMargin());
    json.put("eventTimestamp", p.getEventTimestamp());
    json.put("scoredAt", p.getScoredAt());
    if (p.getShadows() != null) {
      ArrayNode shadows = json.putArray("shadows");
      p.getShadows().forEach(s -> {
        ObjectNode shadow = shadows.addObject();
        shadow.put("alias", s.getAlias());
        shadow.put("version", s.getVersion());
        shadow.put("value", s.getValue());
        if (s.getPredictedClass() == null) {
          shadow.putNull("predictedClass");
        } else {
          shadow.put("predictedClass", s.getPredictedClass());
        }
      });
    }
    return json;
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
      headers.put(h.key(), h.value() == null ? null : printable(h.value()) ? text(h.value())
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
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
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
