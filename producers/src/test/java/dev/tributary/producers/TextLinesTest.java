package dev.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
    @TempDir
    Path dir;

    @Test
    void skipsBlankLinesAndKeepsTheLineNumbersOfTheFile() throws Exception {
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, "first\n\n  \nfourth\n");
        try (TextLines lines = TextLines.open(file)) {
            lines.advance();
            assertThat(lines.current()).isEqualTo("first");
            assertThat(lines.lineNumber()).isEqualTo(1);
            lines.advance();
            assertThat(lines.current()).isEqualTo("fourth");
            assertThat(lines.lineNumber()).isEqualTo(4);
            assertThat(lines.error("bad").getMessage()).isEqualTo("lines.txt line 4: bad");
            lines.advance();
            assertThat(lines.hasCurrent()).isFalse();
            assertThatThrownBy(lines::require).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void readRawReturnsABlankFirstLineAsItIs() throws Exception {
        Path file = dir.resolve("blank-first.txt");
        Files.writeString(file, "\nsecond\n");
        try (TextLines lines = TextLines.open(file)) {
            assertThat(lines.readRaw()).isEmpty();
            lines.advance();
            assertThat(lines.current()).isEqualTo("second");
            assertThat(lines.lineNumber()).isEqualTo(2);
        }
    }

    @Test
    void aBinaryFileIsRefusedAsNotText() throws Exception {
        Path file = dir.resolve("binary.bin");
        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
        try (TextLines lines = TextLines.open(file)) {
            assertThatThrownBy(lines::advance)
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessageContaining("is not UTF-8 text");
        }
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .hasSize(3);
    }
}
