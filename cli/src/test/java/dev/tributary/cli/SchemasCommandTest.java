package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary schemas register} checks the file before it contacts Kafka. */
class SchemasCommandTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotASchemaIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("event.avsc"), "{\"type\": \"recrod\"}");
        CliRun run = CliRun.of("schemas", "register", file.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("is not an Avro schema");
    }

    @Test
    void anIncompatibleEventSchemaIsRefusedWithTheFieldAndWhatToDo() throws IOException {
        java.util.List<Schema.Field> fields = Event.getClassSchema().getFields().stream()
                .filter(f -> !f.name().equals("id"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        Schema withoutId = Schema.createRecord("Event", null, "dev.tributary.schema", false, fields);
        Path file = Files.writeString(dir.resolve("event.avsc"), withoutId.toString());
        CliRun run = CliRun.of("schemas", "register", file.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains("cannot be registered")
                .contains("field 'id' is missing and has no default")
                .contains("Give new fields a default");
    }

    @Test
    void aRecordThatIsNotTributarysIsRefused() throws IOException {
        Path file = Files.writeString(
                dir.resolve("user.avsc"),
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        CliRun run = CliRun.of("schemas", "register", file.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("com.example.User is not one of Tributary's records");
    }
}
