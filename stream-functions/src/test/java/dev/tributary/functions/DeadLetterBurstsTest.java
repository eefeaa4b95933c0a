package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterBurstsTest {
    @Test
    void oneLinePerPeriodWithTheCountAndTheFirstReason() {
        DeadLetterBursts bursts = new DeadLetterBursts(10_000);
        assertThat(bursts.due(0)).isNull();
        bursts.record(Rejection.UNDECODABLE, "malformed JSON", 1_000);
        bursts.record(Rejection.BAD_LABEL, "label 2.0 is not 0 or 1", 2_000);
        bursts.record(Rejection.UNKNOWN_MODEL, "unknown model 'x'", 3_000);

        assertThat(bursts.due(10_999)).isNull(); // the period is not over
        assertThat(bursts.due(11_000))
                .isEqualTo("3 dead letters in the last 10 s; the first: UNDECODABLE: malformed JSON");
        assertThat(bursts.due(30_000)).isNull(); // nothing since

        bursts.record(Rejection.BAD_FEATURES, "missing 'x2'", 31_000);
        assertThat(bursts.due(41_500))
                .isEqualTo("1 dead letter in the last 11 s; the first: BAD_FEATURES: missing 'x2'");
    }

    @Test
    void drainingReportsWhatIsLeftBeforeThePeriodEnds() {
        DeadLetterBursts bursts = new DeadLetterBursts(10_000);
        assertThat(bursts.drain(0)).isNull();
        bursts.record(Rejection.BAD_LABEL, "label 2.0 is not 0 or 1", 1_000);
        assertThat(bursts.drain(2_000))
                .isEqualTo("1 dead letter in the last 1 s; the first: BAD_LABEL: label 2.0 is not 0 or 1");
        assertThat(bursts.due(20_000)).isNull();
    }
}
