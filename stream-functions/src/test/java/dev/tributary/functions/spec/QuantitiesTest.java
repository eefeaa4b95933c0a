package dev.tributary.functions.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
    @Test
    void quantitiesReadAndPrintBack() {
        assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Quantities.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Quantities.bytes("1g")).isEqualTo(1L << 30);
        assertThat(Quantities.bytes("512M")).isEqualTo(512L << 20);
        assertThat(Quantities.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Quantities.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Quantities.formatBytes(1L << 30)).isEqualTo("1g");
        assertThat(Quantities.formatBytes(768L << 20)).isEqualTo("768m");
    }

    @Test
    void whatIsNoQuantitySaysWhatOneLooksLike() {
        assertThatThrownBy(() -> Quantities.duration("5 seconds")).hasMessage("a duration such as 500ms, 5s or 1m");
        assertThatThrownBy(() -> Quantities.bytes("lots")).hasMessage("a size such as 512m or 1g");
    }
}
