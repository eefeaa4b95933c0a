package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UtilisationPolicyTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    static UtilisationPolicy policy(double target, long upSeconds, long downSeconds) {
        return new UtilisationPolicy(new UtilisationPolicy.Settings(
                "cpu", target, Duration.ofSeconds(upSeconds), Duration.ofSeconds(downSeconds)));
    }

    static int desired(UtilisationPolicy p, long second, Double utilisation, int current) {
        return p.decide(T0.plusSeconds(second), utilisation, current, 1, 10).desired();
    }

    @Test
    void desiredIsCeilOfCurrentTimesUtilisationOverTarget() {
        assertThat(desired(policy(0.5, 0, 0), 0, 0.9, 2))
                .as("ceil(2 × 0.9 / 0.5) = ceil(3.6)")
                .isEqualTo(4);
        assertThat(desired(policy(0.5, 0, 0), 0, 0.75, 2))
                .as("2 × 0.75 / 0.5 = 3 exactly")
                .isEqualTo(3);
        assertThat(desired(policy(0.5, 0, 0), 0, 0.1, 4))
                .as("ceil(4 × 0.2) = ceil(0.8)")
                .isEqualTo(1);
    }

    @Test
    void ratiosWithinTheToleranceChangeNothing() {
        assertThat(desired(policy(0.5, 0, 0), 0, 0.55, 2)).as("ratio 1.1").isEqualTo(2);
        assertThat(desired(policy(0.5, 0, 0), 0, 0.45, 2)).as("ratio 0.9").isEqualTo(2);
        assertThat(desired(policy(0.5, 0, 0), 0, 0.56, 2))
                .as("ratio 1.12: ceil(2.24)")
                .isEqualTo(3);
    }

    @Test
    void theFloorAndTheCapBoundTheCount() {
        UtilisationPolicy p = policy(0.1, 0, 0);
        assertThat(p.decide(T0, 1.0, 2, 1, 3).desired()).isEqualTo(3);
        assertThat(policy(0.9, 0, 0).decide(T0, 0.0, 3, 2, 5).desired()).isEqualTo(2);
    }

    @Test
    void zeroInstancesOrNoSampleHoldTheCount() {
        assertThat(desired(policy(0.5, 0, 0), 0, 0.9, 0)).isZero();
        UtilisationPolicy.Vote none = policy(0.5, 0, 0).decide(T0, null, 2, 1, 10);
        assertThat(none.desired()).isEqualTo(2);
        assertThat(none.reason()).contains("no instance sampled");
    }

    @Test
    void scaleDownWaitsUntilTheWindowHoldsNoLargerRecommendation() {
        UtilisationPolicy p = policy(0.5, 0, 30);
        assertThat(desired(p, 0, 0.9, 1)).as("up at once, window 0").isEqualTo(2);
        assertThat(desired(p, 10, 0.05, 2))
                .as("10 s after a recommendation of 2")
                .isEqualTo(2);
        assertThat(p.decide(T0.plusSeconds(20), 0.05, 2, 1, 10).reason())
                .contains("held at 2 by the scale-down window");
        assertThat(desired(p, 31, 0.05, 2)).as("the 2 is 31 s old").isEqualTo(1);
    }

    @Test
    void scaleUpWaitsUntilTheWindowHoldsNoSmallerRecommendation() {
        UtilisationPolicy p = policy(0.5, 20, 0);
        assertThat(desired(p, 0, 0.5, 1)).isEqualTo(1);
        assertThat(desired(p, 10, 0.9, 1)).as("a 1 was recommended 10 s ago").isEqualTo(1);
        assertThat(desired(p, 21, 0.9, 1)).as("only 2s in the last 20 s").isEqualTo(2);
    }

    @Test
    void aTargetOutsideZeroToOneHundredPercentIsRefused() {
        assertThatThrownBy(() -> policy(0, 0, 0))
                .hasMessage("--cpu-target must be a percentage above 0 and at most 100, got 0%");
        assertThatThrownBy(() -> policy(1.5, 0, 0)).hasMessageContaining("got 150%");
    }
}
