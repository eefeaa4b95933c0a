package dev.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static Percentiles of(List<Long> values) {
        Percentiles p = new Percentiles();
        values.forEach(p::add);
        return p;
    }

    private static List<Long> range(int from, int to) {
        List<Long> values = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            values.add(v);
        }
        return values;
    }

    @Test
    void nearestRankOfOneToAThousand() {
        List<Long> values = range(1, 1000);
        Collections.shuffle(values, new java.util.Random(1));
        Percentiles.Summary s = of(values).summary();
        assertThat(s.samples()).isEqualTo(1000);
        assertThat(s.p50()).isEqualTo(500);
        assertThat(s.p99()).isEqualTo(990);
        assertThat(s.p999()).isEqualTo(999);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(1000);
        assertThat(s.mean()).isEqualTo(500.5);
    }

    @Test
    void fewSamplesGiveTheLargestForHighPercentiles() {
        Percentiles.Summary s = of(range(1, 100)).summary();
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.p999()).isEqualTo(100);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Percentiles.Summary s = of(List.of(7L)).summary();
        assertThat(List.of(s.p50(), s.p99(), s.p999(), s.min(), s.max())).containsOnly(7L);
    }

    @Test
    void manySamplesGrowTheBuffer() {
        Percentiles p = new Percentiles();
        for (int i = 0; i < 100_000; i++) {
            p.add(i % 10 == 9 ? 100 : 1); // 10 % slow
        }
        Percentiles.Summary s = p.summary();
        assertThat(s.samples()).isEqualTo(100_000);
        assertThat(s.p50()).isEqualTo(1);
        assertThat(s.p99()).isEqualTo(100);
    }

    @Test
    void noSamplesNoSummary() {
        assertThat(new Percentiles().summary()).isNull();
    }

    @Test
    void percentilesOutsideTheRangeAreRefused() {
        long[] sorted = {1, 2, 3};
        assertThat(Percentiles.nearestRank(sorted, 100)).isEqualTo(3);
        assertThat(Percentiles.nearestRank(sorted, 0.001)).isEqualTo(1);
        assertThatThrownBy(() -> Percentiles.nearestRank(sorted, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(sorted, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
