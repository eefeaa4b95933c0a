package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.Feedback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackFileTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static List<Feedback> all(Path file) {
        List<Feedback> out = new ArrayList<>();
        try (FeedbackFile feedback = FeedbackFile.open(file)) {
            feedback.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void readsJsonLines() throws IOException {
        Path f = file(
                "fb.jsonl",
                "{\"id\": \"imp-1\", \"model\": \"ctr\", \"label\": 1}\n\n"
                        + "{\"id\": 42, \"model\": \"ctr\", \"label\": 0, \"timestamp\": 1700000000000}\n");
        assertThat(all(f))
                .containsExactly(
                        new Feedback("imp-1", "ctr", 1.0, 0L), new Feedback("42", "ctr", 0.0, 1_700_000_000_000L));
        try (FeedbackFile feedback = FeedbackFile.open(f)) {
            assertThat(feedback.isJson()).isTrue();
        }
    }

    @Test
    void readsCsvWithColumnsInAnyOrder() throws IOException {
        Path f = file("fb.csv", "\uFEFFlabel,id,model\n1,imp-1,ctr\n0,\"imp,2\",ctr\n");
        assertThat(all(f))
                .containsExactly(new Feedback("imp-1", "ctr", 1.0, 0L), new Feedback("imp,2", "ctr", 0.0, 0L));
        Path timed = file("timed.csv", "id,model,label,timestamp\nimp-1,ctr,3.5,1234\n");
        assertThat(all(timed)).containsExactly(new Feedback("imp-1", "ctr", 3.5, 1234L));
    }

    @Test
    void aBadLineIsRefusedWithItsNumberAndReason() throws IOException {
        assertThatThrownBy(() -> FeedbackFile.validate(
                        file(
                                "a.jsonl",
                                "{\"id\": \"e1\", \"model\": \"m\", \"label\": 1}\n{\"model\": \"m\", \"label\": 1}\n"),
                        f -> null))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("a.jsonl line 2: missing 'id'");
        assertThatThrownBy(() -> FeedbackFile.validate(
                        file("b.jsonl", "{\"id\": \"e1\", \"model\": \"m\", \"label\": \"yes\"}\n"), f -> null))
                .hasMessageStartingWith("b.jsonl line 1: 'label' must be a number (0 or 1 for classifiers)");
        assertThatThrownBy(
                        () -> FeedbackFile.validate(file("c.jsonl", "{\"id\": \"e1\", \"model\": \"m\"\n"), f -> null))
                .hasMessageStartingWith("c.jsonl line 1: malformed JSON");
        assertThatThrownBy(
                        () -> FeedbackFile.validate(file("d.csv", "id,model,label\ne1,m,1\n\ne2,m,abc\n"), f -> null))
                .hasMessageStartingWith("d.csv line 4: 'label' must be a number");
        assertThatThrownBy(() -> FeedbackFile.validate(file("e.csv", "id,model,label\ne1,m\n"), f -> null))
                .hasMessage("e.csv line 2: has 2 fields, the header has 3");
        assertThatThrownBy(() -> FeedbackFile.validate(file("f.csv", "id,model,label\n,m,1\n"), f -> null))
                .hasMessage("f.csv line 2: 'id' is empty");
        assertThatThrownBy(() -> FeedbackFile.validate(file("g.csv", "id,model,label\ne1,a b,1\n"), f -> null))
                .hasMessageStartingWith("g.csv line 2: model name 'a b' is invalid");
    }

    @Test
    void aBadHeaderIsRefused() throws IOException {
        assertThatThrownBy(() -> FeedbackFile.open(file("a.csv", "id,model\ne1,m\n")))
                .hasMessage(
                        "a.csv line 1: the header has no column 'label'; expected id,model,label and optionally timestamp");
        assertThatThrownBy(() -> FeedbackFile.open(file("b.csv", "id,model,label,price\n")))
                .hasMessageContaining("an unknown column 'price'");
        assertThatThrownBy(() -> FeedbackFile.open(file("c.csv", "\n\n"))).hasMessageContaining("the file is empty");
    }

    @Test
    void theCheckSeesEveryLineAndNamesTheFirstItRefuses() throws IOException {
        Path f = file("fb.csv", "id,model,label\ne1,ctr,1\ne2,nobody,1\ne3,ctr,2\n");
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> FeedbackFile.validate(f, fb -> {
                    seen.add(fb.getId());
                    return fb.getModel().equals("ctr") ? null : "unknown model '" + fb.getModel() + "'";
                }))
                .hasMessage("fb.csv line 3: unknown model 'nobody'");
        assertThat(seen).containsExactly("e1", "e2");
        assertThat(FeedbackFile.validate(f, fb -> null)).isEqualTo(3);
    }
}
