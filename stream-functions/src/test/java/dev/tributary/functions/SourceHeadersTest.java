package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SourceHeadersTest {
    @Test
    void aSourceIsReadBackWithinTheTaskAndFromItsBytes() {
        RecordHeaders headers = new RecordHeaders();
        SourceHeaders.add(headers, "tributary.events", 3, 1L << 40);
        SourceHeaders.Source source = new SourceHeaders.Source("tributary.events", 3, 1L << 40);
        assertThat(SourceHeaders.source(headers)).contains(source);

        RecordHeaders written = new RecordHeaders();
        written.add(new RecordHeader(
                SourceHeaders.SOURCE, headers.lastHeader(SourceHeaders.SOURCE).value()));
        assertThat(SourceHeaders.source(written)).as("as read from a topic").contains(source);
    }

    @Test
    void aSourceReplacesAnEarlierOneAndNoneIsEmpty() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(SourceHeaders.source(headers)).isEmpty();
        SourceHeaders.add(headers, "a", 0, 1);
        SourceHeaders.add(headers, "b", 1, 2);
        assertThat(headers.headers(SourceHeaders.SOURCE)).hasSize(1);
        assertThat(SourceHeaders.source(headers)).contains(new SourceHeaders.Source("b", 1, 2));
    }
}
