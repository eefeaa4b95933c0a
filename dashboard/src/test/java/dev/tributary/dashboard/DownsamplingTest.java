package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DownsamplingTest {
    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void fewerPointsThanTheMaximumAreAllKept() {
        assertThat(Downsampling.pick(range(5), new double[] {1, 2, 3, 4, 5}, 10, Set.of()))
                .containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aLongCurveKeepsAtMostTheMaximumWithItsEnds() {
        int n = 10_000;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(i / 100.0);
        }
        List<Integer> picked = Downsampling.pick(range(n), y, 400, Set.of());
        assertThat(picked).hasSize(400).startsWith(0).endsWith(n - 1).isSorted();
    }

    @Test
    void aSpikeSurvives() {
        int n = 5_000;
        double[] y = new double[n];
        y[2_345] = 100;
        assertThat(Downsampling.pick(range(n), y, 50, Set.of())).contains(2_345);
    }

    @Test
    void pointsToKeepAreKeptBesidesTheMaximum() {
        int n = 10_000;
        double[] y = new double[n];
        List<Integer> picked = Downsampling.pick(range(n), y, 100, Set.of(4_321, 17));
        assertThat(picked).contains(4_321, 17).hasSizeLessThanOrEqualTo(102);
    }

    @Test
    void pointsWithoutAValueAreNeverPicked() {
        double[] y = {Double.NaN, 1, Double.NaN, 3, Double.NaN};
        assertThat(Downsampling.pick(range(5), y, 3, Set.of(0))).containsExactly(1, 3);
    }

    @Test
    void refusesMismatchedLengths() {
        assertThatThrownBy(() -> Downsampling.pick(range(3), new double[2], 10, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
