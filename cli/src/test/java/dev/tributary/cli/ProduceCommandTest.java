package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceCommandTest {
    @TempDir
    Path dir;

    @Test
    void malformedCsvIsRefusedWithFileLineAndReason() throws IOException {
        Path csv = Files.writeString(dir.resolve("houses.csv"), "rooms,area,price\n3,120,250000\n4,abc,300000\n");
        CliRun run = CliRun.of(
                "produce",
                "--model",
                "houses",
                "--csv",
                csv.toString(),
                "--label",
                "price",
                "--bootstrap-servers",
                "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("houses.csv line 3").contains("column 'area' is 'abc', not a number");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void csvWithoutTheLabelColumnIsRefused() throws IOException {
        Path csv = Files.writeString(dir.resolve("houses.csv"), "rooms,area\n3,120\n");
        CliRun run = CliRun.of("produce", "--model", "houses", "--csv", csv.toString(), "--label", "price");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("no column 'price' for the label");
    }

    @Test
    void aHeaderOnlyCsvIsAnErrorBeforeAnythingIsSent() throws IOException {
        Path csv = Files.writeString(dir.resolve("empty.csv"), "size,rooms,price\n");
        CliRun run = CliRun.of(
                "produce",
                "--model",
                "houses",
                "--csv",
                csv.toString(),
                "--label",
                "price",
                "--bootstrap-servers",
                "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("empty.csv has a header but no rows");
    }

    @Test
    void aBinaryFileIsNotText() throws IOException {
        Path csv =
                Files.write(dir.resolve("image.csv"), new byte[] {'a', ',', 'b', '\n', (byte) 0xff, (byte) 0xfe, 0, 1});
        CliRun run = CliRun.of(
                "produce", "--model", "houses", "--csv", csv.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains("image.csv is not UTF-8 text (a binary file?)")
                .doesNotContain("Input length");
    }

    @Test
    void missingFileIsOneSentence() {
        CliRun run = CliRun.of(
                "produce", "--model", "houses", "--csv", dir.resolve("none.csv").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("no such file");
    }

    @Test
    void csvNeedsAModel() throws IOException {
        Path csv = Files.writeString(dir.resolve("a.csv"), "x,y\n1,2\n");
        CliRun run = CliRun.of("produce", "--csv", csv.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--csv needs --model");
    }

    @Test
    void csvAndJsonExcludeEachOther() {
        CliRun run = CliRun.of("produce", "--csv", "a.csv", "--json", "b.json");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void aSourceIsRequired() {
        CliRun run = CliRun.of("produce", "--model", "m");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--csv").contains("--json");
    }

    @Test
    void aMalformedFeedbackFileIsRefusedWithFileLineAndReasonBeforeConnecting() throws IOException {
        Path file = Files.writeString(dir.resolve("clicks.csv"), "id,model,label\nimp-1,ctr,1\nimp-2,ctr,maybe\n");
        CliRun run = CliRun.of("produce", "--feedback", file.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("clicks.csv line 3: 'label' must be a number");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void feedbackLinesNameTheirOwnModel() throws IOException {
        Path file = Files.writeString(
                dir.resolve("clicks.jsonl"), "{\"id\": \"imp-1\", \"model\": \"ctr\", \"label\": 1}\n");
        CliRun run = CliRun.of("produce", "--feedback", file.toString(), "--model", "ctr");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("each feedback line names its event id, model and label");
        run = CliRun.of("produce", "--feedback", file.toString(), "--json", file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }
}
