package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.autoscale.ScalingPolicy.Decision;
import dev.tributary.autoscale.ScalingPolicy.Settings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Duration COOLDOWN = Duration.ofSeconds(30);
    static final int PARTITIONS = 4;

    static ScalingPolicy policy(int min, int max, long activation) {
        return new ScalingPolicy(new Settings(min, max, 1000, activation, COOLDOWN));
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void zeroInstancesStayAtZeroWithoutLag() {
        Decision d = policy(0, 3, 0).decide(T0, 0, 0, PARTITIONS);
        assertThat(d.changes()).isFalse();
        assertThat(d.after()).isZero();
    }

    @Test
    void anyNewEventStartsTheFirstInstanceByDefault() {
        Decision d = policy(0, 3, 0).decide(T0, 1, 0, PARTITIONS);
        assertThat(d.after()).isEqualTo(1);
        assertThat(d.reason()).contains("activation threshold 0");
    }

    @Test
    void theActivationThresholdMustBeExceeded() {
        ScalingPolicy policy = policy(0, 3, 100);
        assertThat(policy.decide(T0, 100, 0, PARTITIONS).after()).isZero();
        assertThat(policy.decide(at(1), 101, 0, PARTITIONS).after()).isEqualTo(1);
    }

    @Test
    void aLargeLagAddsOneInstancePerPollUpToMax() {
        ScalingPolicy policy = policy(0, 3, 0);
        int instances = 0;
        for (int poll = 0; poll < 6; poll++) {
            Decision d = policy.decide(at(poll), 50_000, instances, PARTITIONS);
            assertThat(d.after() - d.before()).as("step at poll " + poll).isBetween(0, 1);
            instances = d.after();
        }
        assertThat(instances).isEqualTo(3);
        assertThat(policy.decide(at(7), 50_000, 3, PARTITIONS).reason()).contains("at the cap of 3");
    }

    @Test
    void instancesFollowCeilOfLagOverThreshold() {
        ScalingPolicy policy = policy(0, 4, 0);
        assertThat(policy.decide(T0, 1000, 1, PARTITIONS).after())
                .as("lag 1000 = 1 × 1000")
                .isEqualTo(1);
        assertThat(policy.decide(T0, 1001, 1, PARTITIONS).after())
                .as("lag 1001 needs 2")
                .isEqualTo(2);
        assertThat(policy.decide(T0, 2000, 2, PARTITIONS).after())
                .as("lag 2000 = 2 × 1000")
                .isEqualTo(2);
        assertThat(policy.decide(T0, 2001, 2, PARTITIONS).after())
                .as("lag 2001 needs 3")
                .isEqualTo(3);
    }

    @Test
    void neverMoreInstancesThanPartitions() {
        ScalingPolicy policy = policy(0, 8, 0);
        assertThat(policy.decide(T0, 1_000_000, 2, 2).after()).isEqualTo(2);
        assertThat(policy.decide(T0, 1_000_000, 2, 2).reason()).contains("at the cap of 2");
        assertThat(policy.decide(T0, 1_000_000, 3, 2).after())
                .as("above the partitions")
                .isEqualTo(2);
    }

    @Test
    void unknownPartitionsLeaveMaxAsTheOnlyCap() {
        assertThat(policy(0, 8, 0).decide(T0, 1_000_000, 5, 0).after()).isEqualTo(6);
    }

    @Test
    void oneInstanceIsRemovedOnlyAfterTheCooldownAndTheCooldownRestartsAfterEachStep() {
        ScalingPolicy policy = policy(0, 3, 0);
        assertThat(policy.decide(at(0), 0, 3, PARTITIONS).after()).isEqualTo(3);
        assertThat(policy.decide(at(29), 0, 3, PARTITIONS).after()).isEqualTo(3);
        Decision down = policy.decide(at(30), 0, 3, PARTITIONS);
        assertThat(down.after()).isEqualTo(2);
        assertThat(down.reason()).contains("cooldown of 30 s");
        assertThat(policy.decide(at(31), 0, 2, PARTITIONS).after())
                .as("a new cooldown")
                .isEqualTo(2);
        assertThat(policy.decide(at(60), 0, 2, PARTITIONS).after()).isEqualTo(2);
        assertThat(policy.decide(at(61), 0, 2, PARTITIONS).after()).isEqualTo(1);
    }

    @Test
    void aBusyPollRestartsTheCooldown() {
        ScalingPolicy policy = policy(0, 3, 0);
        policy.decide(at(0), 0, 2, PARTITIONS);
        assertThat(policy.decide(at(15), 1500, 2, PARTITIONS).after()).isEqualTo(2);
        assertThat(policy.decide(at(30), 0, 2, PARTITIONS).after())
                .as("only 15 s calm")
                .isEqualTo(2);
        assertThat(policy.decide(at(45), 0, 2, PARTITIONS).after()).isEqualTo(2);
        assertThat(policy.decide(at(60), 0, 2, PARTITIONS).after()).isEqualTo(1);
    }

    @Test
    void theLastInstanceGoesOnlyWhenTheLagHasBeenAtTheActivationThresholdForTheCooldown() {
        ScalingPolicy policy = policy(0, 3, 0);
        assertThat(policy.decide(at(0), 5, 1, PARTITIONS).after()).isEqualTo(1);
        assertThat(policy.decide(at(40), 5, 1, PARTITIONS).after())
                .as("some lag left")
                .isEqualTo(1);
        assertThat(policy.decide(at(41), 0, 1, PARTITIONS).after()).isEqualTo(1);
        Decision toZero = policy.decide(at(71), 0, 1, PARTITIONS);
        assertThat(toZero.after()).isZero();
        assertThat(toZero.reason()).contains("activation threshold 0");
    }

    @Test
    void minIsKeptWhenIdleAndReachedOneStepAtATime() {
        ScalingPolicy policy = policy(2, 3, 0);
        assertThat(policy.decide(at(0), 0, 0, PARTITIONS).after()).isEqualTo(1);
        assertThat(policy.decide(at(1), 0, 1, PARTITIONS).after()).isEqualTo(2);
        for (int s = 2; s < 200; s += 10) {
            assertThat(policy.decide(at(s), 0, 2, PARTITIONS).after()).isEqualTo(2);
        }
    }

    @Test
    void aLagHoveringAroundAThresholdNeverFlaps() {
        ScalingPolicy policy = policy(0, 3, 0);
        int instances = 2;
        for (int poll = 0; poll < 100; poll++) {
            long lag = poll % 2 == 0 ? 1500 : 900; // needs 2, then 1, then 2 ...
            instances =
                    policy.decide(at(poll * 10L), lag, instances, PARTITIONS).after();
            assertThat(instances).as("instances at poll " + poll).isEqualTo(2);
        }
    }

    @Test
    void aStepDownNeverLeavesTooFewForTheLag() {
        ScalingPolicy policy = policy(0, 3, 0);
        policy.decide(at(0), 2000, 3, PARTITIONS);
        Decision down = policy.decide(at(30), 2000, 3, PARTITIONS);
        assertThat(down.after()).isEqualTo(2);
        assertThat(policy.decide(at(31), 2000, 2, PARTITIONS).after())
                .as("same lag, no step back up")
                .isEqualTo(2);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new Settings(3, 2, 1000, 0, COOLDOWN)).hasMessageContaining("--max");
        assertThatThrownBy(() -> new Settings(0, 0, 1000, 0, COOLDOWN)).hasMessageContaining("--max");
        assertThatThrownBy(() -> new Settings(-1, 2, 1000, 0, COOLDOWN)).hasMessageContaining("--min");
        assertThatThrownBy(() -> new Settings(0, 2, 0, 0, COOLDOWN)).hasMessageContaining("--lag-threshold");
        assertThatThrownBy(() -> new Settings(0, 2, 10, -1, COOLDOWN))
                .hasMessageContaining("--activation-lag-threshold");
        assertThatThrownBy(() -> new Settings(0, 2, 10, 0, Duration.ofSeconds(-1)))
                .hasMessageContaining("--cooldown");
    }
}
