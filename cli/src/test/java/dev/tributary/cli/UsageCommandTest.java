package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageCommandTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void timesAreAgoOrUtcTimesOrDates() {
        assertThat(UsageCommand.parseTime("1h", NOW)).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(UsageCommand.parseTime("30m", NOW)).isEqualTo(Instant.parse("2026-11-27T11:30:00Z"));
        assertThat(UsageCommand.parseTime("7d", NOW)).isEqualTo(Instant.parse("2026-11-20T12:00:00Z"));
        assertThat(UsageCommand.parseTime("45s", NOW)).isEqualTo(Instant.parse("2026-11-27T11:59:15Z"));
        assertThat(UsageCommand.parseTime("2026-11-27T10:00Z", NOW)).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(UsageCommand.parseTime("2026-11-27T10:00:00+01:00", NOW))
                .isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        assertThat(UsageCommand.parseTime("2026-11-26", NOW)).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    }

    @Test
    void pricesPrintWithoutAnExponent() {
        assertThat(UsageCommand.plain(0.0000166667)).isEqualTo("0.0000166667");
        assertThat(UsageCommand.plain(0.20)).isEqualTo("0.2");
        assertThat(UsageCommand.plain(1)).isEqualTo("1");
    }

    @Test
    void anUnreadableTimeSaysWhatIsAccepted() {
        assertThatThrownBy(() -> UsageCommand.parseTime("yesterday", NOW))
                .hasMessageContaining("'yesterday' is neither")
                .hasMessageContaining("1h")
                .hasMessageContaining("2026-11-27T10:00Z");
        assertThatThrownBy(() -> UsageCommand.parseTime("2026-11-27T10:00", NOW))
                .hasMessageContaining("is neither");
    }

    @Test
    void badOptionsAreUsageErrorsBeforeAnyConnection() {
        CliRun since = CliRun.of("usage", "--since", "soon", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(since.code()).isEqualTo(2);
        assertThat(since.err()).contains("--since: 'soon' is neither");

        CliRun order = CliRun.of(
                "usage", "--since", "2026-11-27", "--until", "2026-11-26", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(order.code()).isEqualTo(2);
        assertThat(order.err()).contains("must be before --until");

        CliRun by = CliRun.of("usage", "--by", "colour", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(by.code()).isEqualTo(2);
        assertThat(by.err()).contains("colour");

        CliRun price = CliRun.of("usage", "--price-per-million", "-1", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(price.code()).isEqualTo(2);
        assertThat(price.err()).contains("prices must be finite and not negative");
    }
}
