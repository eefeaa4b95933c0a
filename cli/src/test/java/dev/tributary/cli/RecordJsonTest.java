package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Event;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.ShadowPrediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
    private final RecordJson render = new RecordJson(Topics.defaults());

    @Test
    void predictionIsAFlatObject() throws Exception {
        Prediction p = new Prediction("e1", "churn", 3L, Algorithm.LOGISTIC_REGRESSION, 0.8, 1, 1.386, 10L, 20L, null);
        byte[] value = AvroCodec.of(Prediction.class).encode(p);
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(
                new ConsumerRecord<>("tributary.predictions", 0, 5L, "e1".getBytes(StandardCharsets.UTF_8), value))));
        assertThat(json.get("eventId").asText()).isEqualTo("e1");
        assertThat(json.get("modelVersion").asLong()).isEqualTo(3);
        assertThat(json.get("predictedClass").asInt()).isEqualTo(1);
        assertThat(json.get("value").asDouble()).isEqualTo(0.8);
        assertThat(json.get("scoredAt").asLong()).isEqualTo(20);
    }

    @Test
    void deadLetterShowsTextOrBase64AndTheErrorHeaders() throws Exception {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(
                "tributary.dead-letters", 0, 1L, "k1".getBytes(StandardCharsets.UTF_8), new byte[] {
                    (byte) 0xC3, 0x01, 0x00, (byte) 0xFF
                });
        r.headers().add("tributary.error.message", "truncated Avro".getBytes(StandardCharsets.UTF_8));
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(r)));
        assertThat(json.get("key").asText()).isEqualTo("k1");
        assertThat(json.get("valueBase64").asText()).isEqualTo("wwEA/w==");
        assertThat(json.get("headers").get("tributary.error.message").asText()).isEqualTo("truncated Avro");

        ConsumerRecord<byte[], byte[]> text = new ConsumerRecord<>(
                "tributary.dead-letters", 0, 2L, null, "{\"id\":1}".getBytes(StandardCharsets.UTF_8));
        JsonNode json2 = Json.MAPPER.readTree(Json.compact(render.render(text)));
        assertThat(json2.get("value").asText()).isEqualTo("{\"id\":1}");
        assertThat(json2.get("key").isNull()).isTrue();
    }

    @Test
    void usageRecordIsAFlatObject() throws Exception {
        UsageRecord u = UsageBillTest.record("functions", "churn", "host-1", 7, 2, 1.5, 0.25);
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(new ConsumerRecord<>(
                "tributary.usage",
                0,
                0L,
                "functions/churn".getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(UsageRecord.class).encode(u)))));
        assertThat(json.get("model").asText()).isEqualTo("churn");
        assertThat(json.get("invocations").asLong()).isEqualTo(7);
        assertThat(json.get("errors").asLong()).isEqualTo(2);
        assertThat(json.get("gbSeconds").asDouble()).isEqualTo(0.25);
    }

    @Test
    void driftAlertIsAFlatObjectWithItsSource() throws Exception {
        DriftAlert a = new DriftAlert(
                "churn",
                4L,
                "adwin",
                "error",
                2041L,
                0.1,
                0.87,
                30L,
                new OffsetRange("tributary.events", 2, 99L, 99L),
                "host/1_0");
        byte[] value = AvroCodec.of(DriftAlert.class).encode(a);
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(
                new ConsumerRecord<>("tributary.alerts", 0, 5L, "churn".getBytes(StandardCharsets.UTF_8), value))));
        assertThat(json.get("model").asText()).isEqualTo("churn");
        assertThat(json.get("version").asLong()).isEqualTo(4);
        assertThat(json.get("detector").asText()).isEqualTo("adwin");
        assertThat(json.get("before").asDouble()).isEqualTo(0.1);
        assertThat(json.get("after").asDouble()).isEqualTo(0.87);
        assertThat(json.get("sourcePartition").asInt()).isEqualTo(2);
        assertThat(json.get("sourceOffset").asLong()).isEqualTo(99);
    }

    @Test
    void predictionShowsItsShadowsWhenItHasSome() throws Exception {
        Prediction p = new Prediction(
                "e1",
                "churn",
                3L,
                Algorithm.LOGISTIC_REGRESSION,
                0.8,
                1,
                1.386,
                10L,
                20L,
                java.util.List.of(new ShadowPrediction("challenger", 4L, 0.3, 0)));
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(new ConsumerRecord<>(
                "tributary.predictions",
                0,
                5L,
                "e1".getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(Prediction.class).encode(p)))));
        assertThat(json.get("shadows")).hasSize(1);
        assertThat(json.get("shadows").get(0).get("alias").asText()).isEqualTo("challenger");
        assertThat(json.get("shadows").get(0).get("version").asLong()).isEqualTo(4);
        assertThat(json.get("shadows").get(0).get("predictedClass").asInt()).isZero();
        byte[] plain = AvroCodec.of(Prediction.class)
                .encode(new Prediction(
                        "e2", "churn", 3L, Algorithm.LOGISTIC_REGRESSION, 0.8, 1, 1.386, 10L, 20L, null));
        JsonNode without = Json.MAPPER.readTree(Json.compact(render.render(
                new ConsumerRecord<>("tributary.predictions", 0, 6L, "e2".getBytes(StandardCharsets.UTF_8), plain))));
        assertThat(without.has("shadows")).isFalse();
    }

    @Test
    void anyTopicsAvroRecordsDecodeByTheirSchemaFingerprint() throws Exception {
        Prediction p =
                new Prediction("q1", "diamonds", 2L, Algorithm.LINEAR_REGRESSION, 849.0, null, 849.0, 10L, 20L, null);
        for (String topic : new String[] {"diamonds.quotes", "acme.predictions"}) {
            JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(new ConsumerRecord<>(
                    topic, 0, 0L, null, AvroCodec.of(Prediction.class).encode(p)))));
            assertThat(json.get("eventId").asText()).as(topic).isEqualTo("q1");
            assertThat(json.get("value").asDouble()).as(topic).isEqualTo(849.0);
        }
    }

    @Test
    void anAvroEventInADeadLetterIsShownDecodedWithTheHeaders() throws Exception {
        Event e = Event.newBuilder()
                .setId("e9")
                .setModel("py-demo")
                .setFeatures(Map.of("x1", 1.0))
                .setCategories(Map.of())
                .setLabel(2.0)
                .setTimestamp(5L)
                .build();
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(
                "tributary.dead-letters",
                0,
                3L,
                "e9".getBytes(StandardCharsets.UTF_8),
                AvroCodec.of(Event.class).encode(e));
        r.headers().add("tributary.error.class", "BAD_LABEL".getBytes(StandardCharsets.UTF_8));
        JsonNode json = Json.MAPPER.readTree(Json.compact(render.render(r)));
        assertThat(json.has("valueBase64")).isFalse();
        assertThat(json.get("event").get("model").asText()).isEqualTo("py-demo");
        assertThat(json.get("event").get("features").get("x1").asDouble()).isEqualTo(1.0);
        assertThat(json.get("headers").get("tributary.error.class").asText()).isEqualTo("BAD_LABEL");
    }
}
