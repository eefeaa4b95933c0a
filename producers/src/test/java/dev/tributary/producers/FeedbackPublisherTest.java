package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Feedback;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.FeedbackDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What goes on the feedback topic; sending it to a broker is covered by FeedbackSurfacesIT. */
class FeedbackPublisherTest {
    static final Map<String, Object> NOWHERE = Map.of("bootstrap.servers", "127.0.0.1:1");

    @Test
    void avroIsSingleObjectEncodingOfTheFeedbackRecord() {
        Feedback feedback = new Feedback("imp-81", "ctr", 1.0, 1_700_000_000_000L);
        try (FeedbackPublisher out =
                new FeedbackPublisher(NOWHERE, "tributary.feedback", FeedbackPublisher.Encoding.AVRO)) {
            byte[] bytes = out.encode(feedback);
            assertThat(new byte[] {bytes[0], bytes[1]}).containsExactly(0xC3, 0x01); // the single-object marker
            assertThat(AvroCodec.of(Feedback.class).decode(bytes)).isEqualTo(feedback);
        }
    }

    @Test
    void jsonHasIdModelLabelAndATimestampOnlyWhenSet() {
        FeedbackDecoder decoder = new FeedbackDecoder(EventLimits.DEFAULT);
        byte[] plain = FeedbackPublisher.json(new Feedback("e\"1\\\n", "m", 0.0, 0L));
        assertThat(new String(plain, StandardCharsets.UTF_8))
                .isEqualTo("{\"id\": \"e\\\"1\\\\\\u000a\", \"model\": \"m\", \"label\": 0.0}");
        assertThat(decoder.decode(plain, 7L)).isEqualTo(new Feedback("e\"1\\\n", "m", 0.0, 7L));
        byte[] timed = FeedbackPublisher.json(new Feedback("e2", "m", 42.5, 1234L));
        assertThat(new String(timed, StandardCharsets.UTF_8)).endsWith("\"label\": 42.5, \"timestamp\": 1234}");
        try (FeedbackPublisher out =
                new FeedbackPublisher(NOWHERE, "tributary.feedback", FeedbackPublisher.Encoding.JSON)) {
            assertThat(out.encode(new Feedback("e2", "m", 42.5, 1234L))).isEqualTo(timed);
        }
    }

    @Test
    void theScoreFunctionsDecoderReadsBothEncodings() {
        FeedbackDecoder decoder = new FeedbackDecoder(EventLimits.DEFAULT);
        Feedback feedback = new Feedback("imp-9", "ctr", 1.0, 55L);
        for (FeedbackPublisher.Encoding encoding : FeedbackPublisher.Encoding.values()) {
            try (FeedbackPublisher out = new FeedbackPublisher(NOWHERE, "tributary.feedback", encoding)) {
                assertThat(decoder.decode(out.encode(feedback), 99L))
                        .as(encoding.name())
                        .isEqualTo(feedback);
            }
        }
    }
}
