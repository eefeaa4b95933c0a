package dev.tributary.schema.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleBatchTest {

    @Test
    void oneEntryIsWrittenByteByByteLittleEndian() {
        byte[] value = new ExampleBatch.Builder()
                .add(0x0102030405060708L, "ev", 3, 0x1122L, new byte[] {9, 8})
                .toBytes();
        byte[] expected = {
            'T',
            'B',
            1, //
            8,
            7,
            6,
            5,
            4,
            3,
            2,
            1, // timestamp
            3,
            0,
            0,
            0, // partition
            0x22,
            0x11,
            0,
            0,
            0,
            0,
            0,
            0, // offset
            2,
            0,
            'e',
            'v', // topic
            2,
            0,
            0,
            0,
            9,
            8 // example
        };
        assertThat(value).isEqualTo(expected);
    }

    @Test
    void entriesReadBackInOrderWithTheirSources() {
        ExampleBatch.Builder batch = new ExampleBatch.Builder();
        batch.add(10, "events", 0, 5, bytes("a"));
        batch.add(30, "events", 1, 7, bytes("bb"));
        batch.add(20, null, -1, -1, bytes(""));
        batch.add(40, "other", 2, 9, bytes("dddd"));
        assertThat(batch.count()).isEqualTo(4);
        assertThat(batch.maxTimestamp()).isEqualTo(40);

        List<ExampleBatch.Entry> entries = ExampleBatch.read(batch.toBytes());

        assertThat(entries).extracting(ExampleBatch.Entry::timestamp).containsExactly(10L, 30L, 20L, 40L);
        assertThat(entries).extracting(ExampleBatch.Entry::topic).containsExactly("events", "events", null, "other");
        assertThat(entries).extracting(ExampleBatch.Entry::offset).containsExactly(5L, 7L, -1L, 9L);
        assertThat(entries.get(1).partition()).isEqualTo(1);
        assertThat(entries.get(3).example()).isEqualTo(bytes("dddd"));
        assertThat(entries.get(2).example()).isEmpty();
    }

    @Test
    void aReaderGoesThroughTheExamplesOneByOne() {
        byte[] value = new ExampleBatch.Builder()
                .add(10, "events", 0, 5, bytes("a"))
                .add(20, null, -1, -1, bytes("bb"))
                .toBytes();

        ExampleBatch.Reader r = ExampleBatch.reader(value);
        assertThat(r.next()).isTrue();
        assertThat(r.timestamp()).isEqualTo(10);
        assertThat(r.topic()).isEqualTo("events");
        assertThat(r.offset()).isEqualTo(5);
        assertThat(r.example()).isEqualTo(bytes("a"));
        assertThat(r.next()).isTrue();
        assertThat(r.topic()).isNull();
        assertThat(r.partition()).isEqualTo(-1);
        assertThat(r.example()).isEqualTo(bytes("bb"));
        assertThat(r.next()).isFalse();
    }

    @Test
    void aClearedBuilderStartsANewBatchAndGrowsPastItsFirstBuffer() {
        ExampleBatch.Builder batch = new ExampleBatch.Builder();
        batch.add(1, "t", 0, 0, bytes("old"));
        batch.clear();
        byte[] large = new byte[10_000];
        Arrays.fill(large, (byte) 7);
        batch.add(2, "t", 0, 1, large).add(3, "t", 0, 2, large);

        List<ExampleBatch.Entry> entries = ExampleBatch.read(batch.toBytes());

        assertThat(entries).hasSize(2);
        assertThat(entries.get(1).example()).isEqualTo(large);
        assertThat(batch.bytes()).isEqualTo(batch.toBytes().length);
    }

    @Test
    void oneExampleIsNotABatch() {
        assertThat(ExampleBatch.matches(new byte[] {'T', 'F', 1, 0})).isFalse();
        assertThat(ExampleBatch.matches(bytes("{\"id\":1}"))).isFalse();
        assertThat(ExampleBatch.matches(null)).isFalse();
        assertThat(ExampleBatch.matches(new ExampleBatch.Builder().toBytes())).isTrue();
        assertThat(ExampleBatch.read(new ExampleBatch.Builder().toBytes())).isEmpty();
    }

    @Test
    void aDamagedOrNewerBatchIsRefusedWithWhatToDo() {
        byte[] value =
                new ExampleBatch.Builder().add(1, "t", 0, 0, bytes("abc")).toBytes();
        assertThatThrownBy(() -> ExampleBatch.read(Arrays.copyOf(value, value.length - 1)))
                .hasMessageContaining("cut short after 0 examples");
        byte[] newer = value.clone();
        newer[2] = 2;
        assertThatThrownBy(() -> ExampleBatch.read(newer))
                .hasMessageContaining("version 2")
                .hasMessageContaining("upgrade");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
