package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.schema.Feedback;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.FeedbackDecoder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What goes on the feedback topic; sending it to a broker is covered by FeedbackSurfacesIT. */
class FeedbackPublisherTest {
  static final Map<String, Object> NOWHERE = Map.of("bootstrap.servers", "127.0.0.1:1");

  @Test
  void avroIsSingleObjectEncodingOfTheFeedbackRecord() {
    Feedback feedback = new Feedback("imp-81", "ctr", 1.0, 1_700_000_000_000L);
    try (FeedbackPublisher out = new FeedbackPublisher(NOWHERE, "tributary.feedback", FeedbackPublisher.Encoding.AVRO)) {
      byte[] bytes = out.encode(feedback);
      assertThat(new byte[] {bytes[0], bytes[1]}).containsExactly(0xC3, 0x01); // the single-object marker
      assertThat(AvroCodec.of(Feedback.class).decode(bytes)).isEqualTo(feedback);
    }
  }

  @Test
  void jsonHasIdModelLabelAndATimestampOnlyWhenSet() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode plain = mapper.readTree(FeedbackPublisher.json(new Feedback("e\"1", "m", 0.0, 0L)));
    assertThat(plain.path("id").asText()).isEqualTo("e\"1");
    assertThat(plain.path("model").asText()).isEqualTo("m");
    assertThat(plain.path("label").asDouble()).isEqualTo(0.0);
    assertThat(plain.has("timestamp")).isFalse();
    JsonNode timed = mapper.readTree(FeedbackPublisher.json(new Feedback("e2", "m", 42.5, 1234L)));
    assertThat(timed.path("label").asDouble()).isEqualTo(42.5);
    assertThat(timed.path("timestamp").asLong()).isEqualTo(1234L);
    try (FeedbackPublisher out = new FeedbackPublisher(NOWHERE, "tributary.feedback", FeedbackPublisher.Encoding.JSON)) {
      assertThat(out.encode(new Feedback("e2", "m", 42.5, 1234L))).isEqualTo(FeedbackPublisher.json(
          new Feedback("e2", "m", 42.5, 1234L)));
    }
  }

  @Test
  void theScoreFunctionsDecoderReadsBothEncodings() {
    FeedbackDecoder decoder = new FeedbackDecoder(EventLimits.DEFAULT);
    Feedback feedback = new Feedback("imp-9", "ctr", 1.0, 55L);
    for (FeedbackPublisher.Encoding encoding : FeedbackPublisher.Encoding.values()) {
      try (FeedbackPublisher out = new FeedbackPublisher(NOWHERE, "tributary.feedback", encoding)) {
        assertThat(decoder.decode(out.encode(feedback), 99L)).as(encoding.name()).isEqualTo(feedback);
      }
    }
  }
}
