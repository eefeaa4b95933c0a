package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Welford's running statistics against the two-pass formulas. */
class StatisticsTest {

    @Test
    void runningStatsMatchTwoPass() {
        Random random = new Random(11);
        double[] values = new double[5000];
        RunningStats stats = new RunningStats();
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e6 + 3.0 * random.nextGaussian(); // a large offset breaks the naive sum-of-squares formula
            stats.add(values[i]);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        assertThat(stats.count).isEqualTo(values.length);
        assertThat(stats.mean).isCloseTo(mean, within(1e-9));
        assertThat(stats.m2).isCloseTo(ss, within(1e-6 * ss));
        assertThat(stats.variance()).isCloseTo(ss / values.length, within(1e-6));
        assertThat(stats.rms()).isCloseTo(Math.sqrt(mean * mean + ss / values.length), within(1e-6));
    }

    @Test
    void scalerMatchesTwoPassPerFeatureAndStandardises() {
        Random random = new Random(5);
        int n = 3;
        int rows = 2000;
        double[][] data = new double[rows][n];
        StandardScaler scaler = new StandardScaler(n);
        FeatureVector x = new FeatureVector(n);
        for (int r = 0; r < rows; r++) {
            x.clear();
            for (int j = 0; j < n; j++) {
                data[r][j] = (j + 1) * 10 + Math.pow(10, j - 1) * random.nextGaussian();
                x.add(j, data[r][j]);
            }
            assertThat(scaler.update(x)).isTrue();
        }
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (double[] row : data) {
                mean += row[j];
            }
            mean /= rows;
            double ss = 0;
            for (double[] row : data) {
                ss += (row[j] - mean) * (row[j] - mean);
            }
            assertThat(scaler.mean[j]).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
            assertThat(scaler.m2[j]).isCloseTo(ss, within(1e-8 * ss));
            double std = Math.sqrt(ss / rows);
            assertThat(scaler.transform(j, mean + 2 * std)).isCloseTo(2.0, within(1e-6));
        }
        assertThat(scaler.count).isEqualTo(rows);
    }

    @Test
    void scalerRefusesAnUpdateThatWouldOverflowAndChangesNothing() {
        StandardScaler scaler = new StandardScaler(2);
        FeatureVector x = new FeatureVector(2);
        x.add(0, 1.0);
        x.add(1, 2.0);
        scaler.update(x);
        x.clear();
        x.add(0, 3.0);
        x.add(1, 1e308);
        assertThat(scaler.update(x)).isFalse();
        assertThat(scaler.count).isEqualTo(1);
        assertThat(scaler.mean).containsExactly(1.0, 2.0);
        assertThat(scaler.transform(0, 5.0)).isEqualTo(0.0); // zero variance reads 0
    }

    @Test
    void aYoungScalerBoundsStandardisedValues() {
        StandardScaler scaler = new StandardScaler(1);
        FeatureVector x = new FeatureVector(1);
        for (double v : new double[] {10.0, 10.001}) {
            x.clear();
            x.add(0, v);
            scaler.update(x);
        }
        // Two nearly equal values give a tiny std: an ordinary third value would be 20,000 std away.
        assertThat(scaler.transform(0, 30.0)).isEqualTo(3.0);
        assertThat(scaler.transform(0, -30.0)).isEqualTo(-3.0);
        for (int k = 0; k < 10_000; k++) {
            x.clear();
            x.add(0, k % 2 == 0 ? 9.0 : 11.0);
            scaler.update(x);
        }
        // Seasoned: values a few std away are untouched.
        double z = scaler.transform(0, 15.0);
        assertThat(z).isBetween(4.9, 5.1);
    }
}
