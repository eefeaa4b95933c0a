package dev.tributary.functions;

import static dev.tributary.functions.LabelledTopology.TOPICS;
import static dev.tributary.functions.LabelledTopology.WAIT_MS;
import static dev.tributary.functions.LabelledTopology.spec;
import static dev.tributary.functions.LabelledTopology.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Algorithm;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** What the pending-labels store holds, counted as docs/operations.md sizes it. */
class PendingLabelsTest extends DelayedLabelTest {
    @Test
    void pendingLabelBytesAreWhatTheStoreHoldsAndFollowTheSizingFormula() {
        t.createModel(spec("ads", Algorithm.LOGISTIC_REGRESSION)
                .setFeatures(List.of("f1", "f2"))
                .setCategoricalFeatures(List.of("ad", "site"))
                .setHashBits(10)
                .setLabelWaitMs(WAIT_MS)
                .build());
        String id = "imp-00000081";
        t.events.pipeInput(
                utf8(id),
                utf8("{\"id\":\"" + id + "\",\"model\":\"ads\",\"features\":{\"f1\":1,\"f2\":2},"
                        + "\"categories\":{\"ad\":\"a7\",\"site\":\"s3\"}}"));
        long oneEvent = t.stats.pendingLabelBytes.sum();
        // docs/operations.md: bytes = 85 + 2·|MODEL/ID| + |topic| + |id| + 8·numeric + 12·categorical
        assertThat(oneEvent)
                .isEqualTo(
                        85 + 2 * "ads/".concat(id).length() + TOPICS.events().length() + id.length() + 8 * 2 + 12 * 2);
        t.event("eta", "d-1", 2.0);
        t.feedback("eta", "d-1", 3.0); // leaves a joined marker

        KeyValueStore<Bytes, byte[]> store = t.driver.getKeyValueStore(PendingLabels.STORE);
        long bytes = 0;
        long ids = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                bytes += entry.key.get().length + entry.value.length;
                ids += entry.key.get()[0] == 'i' ? 1 : 0;
            }
        }
        assertThat(ids).isEqualTo(2);
        assertThat(t.stats.pendingLabels.sum()).isEqualTo(ids);
        assertThat(t.stats.pendingLabelBytes.sum()).isEqualTo(bytes);
    }
}
