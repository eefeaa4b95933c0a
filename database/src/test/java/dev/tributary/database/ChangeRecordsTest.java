package dev.tributary.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.database.RowMapper.DeadLetter;
import dev.tributary.database.RowMapper.Emit;
import dev.tributary.database.RowMapper.Feedback;
import dev.tributary.database.RowMapper.Ignored;
import dev.tributary.functions.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ChangeRecordsTest {
    final CaptureStats stats = new CaptureStats();
    final ChangeRecords records =
            new ChangeRecords("houses", "public.houses", "tributary.db.houses", "tributary.dead-letters", stats);
    final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    final Map<String, String> row = Map.of("id", "31", "sqft", "");

    @Test
    void anEventGoesToTheFunctionsTopicKeyedByItsIdWithItsPosition() {
        records.add(new Emit("31", "{\"id\":\"31\"}".getBytes(StandardCharsets.UTF_8)), row, 0x16B3748L, out);
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tributary.db.houses");
            assertThat(text(r.key())).isEqualTo("31");
            assertThat(header(r, ChangeRecords.POSITION_HEADER)).isEqualTo("0/16B3748");
        });
        assertThat(stats.events).hasValue(1);
    }

    @Test
    void feedbackGoesToTheFeedbackTopicAsJson() {
        records.add(new Feedback("31", "houses", 1.0), row, 1, out);
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tributary.db.houses.feedback");
            assertThat(text(r.value())).isEqualTo("{\"id\":\"31\",\"model\":\"houses\",\"label\":1.0}");
        });
        assertThat(stats.feedback).hasValue(1);
    }

    @Test
    void aDeadLetterCarriesTheRowAndTheReasonNamingTheTable() {
        records.add(
                new DeadLetter("31", "BAD_FEATURES", "table public.houses, key 31: feature column 'sqft' is NULL"),
                row,
                1,
                out);
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("tributary.dead-letters");
            assertThat(text(r.value())).contains("\"sqft\":\"\"").contains("\"id\":\"31\"");
            assertThat(header(r, DeadLetters.ERROR_CLASS)).isEqualTo("BAD_FEATURES");
            assertThat(header(r, DeadLetters.ERROR_MESSAGE)).contains("feature column 'sqft' is NULL");
            assertThat(header(r, DeadLetters.STAGE)).isEqualTo("database");
            assertThat(header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo("public.houses");
        });
        assertThat(stats.deadLetters).hasValue(1);
    }

    @Test
    void anIgnoredChangeIsCountedAndWritesNothing() {
        records.add(new Ignored("delete"), row, 1, out);
        records.add(new Ignored("unchanged"), row, 1, out);
        assertThat(out).isEmpty();
        assertThat(stats.deletes).hasValue(1);
        assertThat(stats.unchanged).hasValue(1);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return text(r.headers().lastHeader(name).value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
