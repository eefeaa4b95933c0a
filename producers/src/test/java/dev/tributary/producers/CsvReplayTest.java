package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReplayTest {
    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void turnsRowsIntoEventsWithTheLabelApart() throws IOException {
        Path file = csv("a,city,y\n1.5,Oslo,1\n\n-2,\"Rio, BR\",0\n");
        try (CsvReplay replay = CsvReplay.open(file, "m", "y", Set.of("city"))) {
            assertThat(replay.featureColumns()).containsExactly("a", "city");
            Event first = replay.next();
            assertThat(first.getModel()).isEqualTo("m");
            assertThat(first.getId()).isEqualTo("data.csv:2");
            assertThat(first.getFeatures()).containsExactlyEntriesOf(java.util.Map.of("a", 1.5));
            assertThat(first.getCategories()).containsEntry("city", "Oslo");
            assertThat(first.getLabel()).isEqualTo(1.0);
            Event second = replay.next();
            assertThat(second.getId()).isEqualTo("data.csv:4");
            assertThat(second.getCategories()).containsEntry("city", "Rio, BR");
            assertThat(replay.hasNext()).isFalse();
        }
    }

    @Test
    void withoutALabelColumnEventsAreUnlabelled() throws IOException {
        try (CsvReplay replay = CsvReplay.open(csv("a,b\n1,2\n"), "m", null, Set.of())) {
            assertThat(replay.next().getLabel()).isNull();
        }
    }

    @Test
    void malformedFilesAreRefusedWithLineAndReason() throws IOException {
        assertThatThrownBy(() -> CsvReplay.validate(csv("a,y\n1,2\n3,x\n"), "y", Set.of()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("data.csv line 3: column 'y' is 'x', not a number"
                        + " (declare it categorical if it is a category)");
        assertThatThrownBy(() -> CsvReplay.validate(csv("a,y\n1,2,3\n"), "y", Set.of()))
                .hasMessage("data.csv line 2: has 3 fields, the header has 2");
        assertThatThrownBy(() -> CsvReplay.validate(csv("a,y\n1,\n"), "y", Set.of()))
                .hasMessage("data.csv line 2: column 'y' is empty");
        assertThatThrownBy(() -> CsvReplay.validate(csv("a,y\nNaN,1\n"), "y", Set.of()))
                .hasMessageContaining("line 2: column 'a' is NaN");
        assertThatThrownBy(() -> CsvReplay.validate(csv("a,b\n1,2\n"), "y", Set.of()))
                .hasMessageContaining("no column 'y' for the label");
        assertThatThrownBy(() -> CsvReplay.validate(csv(""), "y", Set.of())).hasMessageContaining("the file is empty");
    }

    @Test
    void validateCountsRows() throws IOException {
        assertThat(CsvReplay.validate(csv("a,y\n1,2\n3,4\n5,6\n"), "y", Set.of()))
                .isEqualTo(3);
    }
}
