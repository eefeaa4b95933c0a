package dev.tributary.learn.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both detectors at their defaults. The delays bounded here are the largest measured by {@code
 * tributary evaluate-drift} (docs/learning.md) with room to spare; a detector that never fires, or
 * fires on noise, fails them.
 */
class DriftDetectorTest {
    private static final long MILLION = 1_000_000;

    @ParameterizedTest
    @ValueSource(strings = {"adwin", "page-hinkley"})
    void noAlertOnAStationaryMillionValues(String name) {
        assertThat(DriftStreams.stationary(DriftDetector.of(name), MILLION, 11, 0.1))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adwin", "page-hinkley"})
    void noAlertOnAStationaryMillionGaussianValues(String name) {
        DriftDetector d = DriftDetector.of(name);
        SplittableRandom random = new SplittableRandom(5);
        int alerts = 0;
        for (int i = 0; i < MILLION; i++) {
            alerts += d.update(0.3 + 0.05 * random.nextGaussian()) ? 1 : 0;
        }
        assertThat(alerts).isZero();
        assertThat(d.count()).isEqualTo(MILLION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adwin", "page-hinkley"})
    void alertsSoonAfterAnAbruptChange(String name) {
        for (long seed = 1; seed <= 5; seed++) {
            DriftDetector d = DriftDetector.of(name);
            List<Long> found = DriftStreams.detections(d, 20_000, seed, 0.1, 0.4, 10_000, 0);
            assertThat(found).as("seed %d", seed).isNotEmpty();
            assertThat(found.get(0)).as("seed %d", seed).isBetween(10_000L, 10_000L + 1_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adwin", "page-hinkley"})
    void alertsDuringAGradualChange(String name) {
        for (long seed = 1; seed <= 5; seed++) {
            DriftDetector d = DriftDetector.of(name);
            List<Long> found = DriftStreams.detections(d, 30_000, seed, 0.1, 0.4, 10_000, 5_000);
            assertThat(found).as("seed %d", seed).isNotEmpty();
            assertThat(found.get(0)).as("seed %d", seed).isBetween(10_000L, 10_000L + 5_000 + 1_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adwin", "page-hinkley"})
    void reportsTheMeansEitherSideOfTheChange(String name) {
        DriftDetector d = DriftDetector.of(name);
        assertThat(d.meanBefore()).isNaN();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            if (d.update(random.nextDouble() < (i < 10_000 ? 0.1 : 0.6) ? 1 : 0)) {
                break;
            }
        }
        assertThat(d.meanBefore()).isBetween(0.05, 0.2);
        assertThat(d.meanAfter()).isGreaterThan(d.meanBefore() + 0.1);
    }

    @Test
    void adwinDropsTheValuesBeforeTheChange() {
        Adwin adwin = new Adwin(Adwin.DEFAULT_DELTA);
        List<Long> found = DriftStreams.detections(adwin, 12_000, 9, 0.1, 0.6, 10_000, 0);
        assertThat(found).isNotEmpty();
        assertThat(adwin.width()).isLessThan(2_000 + Adwin.CLOCK);
        assertThat(adwin.mean()).isBetween(0.5, 0.7);
    }

    @Test
    void adwinKeepsAStationaryWindowWhole() {
        Adwin adwin = new Adwin(Adwin.DEFAULT_DELTA);
        DriftStreams.stationary(adwin, 100_000, 4, 0.2);
        assertThat(adwin.width()).isEqualTo(100_000);
        assertThat(adwin.mean()).isBetween(0.19, 0.21);
    }

    @Test
    void increasesIgnoresAFallingError() {
        Supplier<List<Long>> falling =
                () -> DriftStreams.detections(new Increases(DriftDetector.adwin()), 20_000, 2, 0.6, 0.1, 10_000, 0);
        assertThat(DriftStreams.detections(DriftDetector.adwin(), 20_000, 2, 0.6, 0.1, 10_000, 0))
                .isNotEmpty();
        assertThat(falling.get()).isEmpty();
        assertThat(DriftStreams.detections(new Increases(DriftDetector.adwin()), 20_000, 2, 0.1, 0.6, 10_000, 0))
                .isNotEmpty();
    }

    @Test
    void refusesUnknownNamesAndBadValues() {
        assertThatThrownBy(() -> DriftDetector.of("kswin")).hasMessageContaining("adwin or page-hinkley");
        assertThatThrownBy(() -> new Adwin(0)).hasMessageContaining("0 < delta < 1");
        assertThatThrownBy(() -> new PageHinkley(0.005, 0, 0.9999, 30)).hasMessageContaining("lambda > 0");
        assertThatThrownBy(() -> DriftDetector.adwin().update(Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> DriftDetector.pageHinkley().update(Double.POSITIVE_INFINITY))
                .hasMessageContaining("finite");
    }
}
