package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredSourceTest {
    @Test
    void aSourceReadsBackAsWrittenAndTheRestIsTheEntrysLastField() {
        StoredSource source = new StoredSource("tributary.events", 3, 1L << 40);
        int topicBytes = "tributary.events".getBytes(StandardCharsets.UTF_8).length;
        assertThat(source.size()).isEqualTo(4 + 8 + 2 + topicBytes);
        byte[] bytes = source.put(ByteBuffer.allocate(source.size() + 3))
                .put(new byte[] {7, 8, 9})
                .array();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(StoredSource.get(b)).isEqualTo(source);
        assertThat(StoredSource.rest(b)).containsExactly(7, 8, 9);
    }

    @Test
    void theEntriesKeepTheirLayout() {
        EarlyFeedback early = new EarlyFeedback(10, 1.0, 5, "t", 2, 9, null, new byte[] {1});
        byte[] bytes = early.toBytes();
        // expiresAt, label, receivedAt, partition, offset, topic length, "t", key length -1, the value
        assertThat(bytes).hasSize(8 + 8 + 8 + 4 + 8 + 2 + 1 + 4 + 1);
        assertThat(ByteBuffer.wrap(bytes, 24, 4).getInt()).isEqualTo(2);
        assertThat(ByteBuffer.wrap(bytes, 39, 4).getInt()).isEqualTo(-1);
        EarlyFeedback back = EarlyFeedback.fromBytes(bytes);
        assertThat(back.topic()).isEqualTo("t");
        assertThat(back.offset()).isEqualTo(9);
        assertThat(back.key()).isNull();
        assertThat(back.value()).containsExactly(1);
    }
}
