package dev.tributary.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PoliciesTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final int PARTITIONS = 4;

    static ScalingPolicy lag() {
        return new ScalingPolicy(new ScalingPolicy.Settings(0, 4, 1000, 0, Duration.ofSeconds(30)));
    }

    static UtilisationPolicy cpu() {
        return new UtilisationPolicy(new UtilisationPolicy.Settings("cpu", 0.5, Duration.ZERO, Duration.ofSeconds(60)));
    }

    static Policies.Reading reading(long lag, Double cpu) {
        return new Policies.Reading(lag, PARTITIONS, cpu, null);
    }

    @Test
    void theLargestCountWinsOneStepAtATime() {
        Policies p = new Policies(0, 4, lag(), cpu(), null);
        Policies.Choice c = p.decide(T0, reading(10, 1.0), 1);
        assertThat(c.lag()).isEqualTo(1);
        assertThat(c.cpu()).as("ceil(1 × 1.0 / 0.5)").isEqualTo(2);
        assertThat(c.memory()).isNull();
        assertThat(c.desired()).isEqualTo(2);
        assertThat(c.after()).isEqualTo(2);
        assertThat(c.reason()).contains("cpu 100% over 1 instance(s), target 50% → 2");
        Policies.Choice far = new Policies(0, 4, null, cpu(), null).decide(T0, reading(0, 1.0), 1);
        assertThat(far.desired()).isEqualTo(2);
        assertThat(new Policies(0, 4, null, cpu(), null)
                        .decide(T0, reading(0, 1.0), 2)
                        .after())
                .as("wants 4, one step")
                .isEqualTo(3);
    }

    @Test
    void lagStillAddsInstancesWhileCpuIsLow() {
        Policies p = new Policies(0, 4, lag(), cpu(), null);
        Policies.Choice c = p.decide(T0, reading(5000, 0.1), 1);
        assertThat(c.cpu()).isEqualTo(1);
        assertThat(c.after()).isEqualTo(2);
    }

    @Test
    void onlyTheLagPolicyScalesToZero() {
        Policies p = new Policies(0, 4, lag(), cpu(), null);
        assertThat(p.decide(T0, reading(0, 0.0), 1).after())
                .as("calm since now")
                .isEqualTo(1);
        Policies.Choice idle = p.decide(T0.plusSeconds(31), reading(0, 0.9), 1);
        assertThat(idle.cpu()).as("cpu would want 2").isEqualTo(2);
        assertThat(idle.desired()).as("but the lag policy wants none").isZero();
        assertThat(idle.after()).isZero();
        assertThat(p.decide(T0.plusSeconds(32), reading(0, null), 0).after())
                .as("cpu does not start one")
                .isZero();
        assertThat(p.decide(T0.plusSeconds(33), reading(1, null), 0).after())
                .as("lag does")
                .isEqualTo(1);
    }

    @Test
    void withoutTheLagPolicyOneInstanceAlwaysRuns() {
        Policies p = new Policies(0, 4, null, cpu(), null);
        assertThat(p.min()).isEqualTo(1);
        assertThat(p.decide(T0, new Policies.Reading(null, 0, null, null), 0).after())
                .isEqualTo(1);
        assertThat(p.decide(T0.plusSeconds(600), reading(0, 0.0), 1).after()).isEqualTo(1);
    }

    @Test
    void theEventsPartitionsCapCpuAsTheyCapLag() {
        Policies p = new Policies(0, 8, null, cpu(), null);
        Policies.Choice c = p.decide(T0, new Policies.Reading(0L, 2, 1.0, null), 2);
        assertThat(c.cpu()).isEqualTo(2);
        assertThat(c.after()).isEqualTo(2);
    }

    @Test
    void memoryVotesLikeCpu() {
        UtilisationPolicy memory =
                new UtilisationPolicy(new UtilisationPolicy.Settings("memory", 0.8, Duration.ZERO, Duration.ZERO));
        Policies p = new Policies(0, 4, lag(), cpu(), memory);
        Policies.Choice c = p.decide(T0, new Policies.Reading(0L, PARTITIONS, 0.5, 0.95), 2);
        assertThat(c.cpu()).isEqualTo(2);
        assertThat(c.memory()).as("ceil(2 × 0.95 / 0.8)").isEqualTo(3);
        assertThat(c.after()).isEqualTo(3);
    }
}
