package dev.tributary.cli;

import dev.tributary.autoscale.Policies;
import dev.tributary.autoscale.ScalingPolicy;
import dev.tributary.autoscale.UtilisationPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What the autoscaler scales on, as options: the consumer group's lag, the instances' CPU or heap
 * utilisation (the Kubernetes HPA's rule), or several, the largest count winning.
 */
final class UtilisationOptions {
    enum Policy {
        lag,
        cpu,
        memory
    }

    @Option(
            names = "--policy",
            paramLabel = "POLICY",
            split = ",",
            defaultValue = "lag",
            description =
                    "What to scale on: lag, cpu, memory, or several separated by commas, the largest count winning "
                            + "(default: ${DEFAULT-VALUE}). Only lag scales to zero; without it at least one instance runs.")
    List<Policy> policy;

    @Option(
            names = "--cpu-target",
            paramLabel = "PERCENT",
            defaultValue = "70",
            description =
                    "CPU utilisation one instance should run at, of the cores it may use (default: ${DEFAULT-VALUE}).")
    double cpuTarget;

    @Option(
            names = "--memory-target",
            paramLabel = "PERCENT",
            defaultValue = "80",
            description = "Heap used over the maximum heap one instance should run at (default: ${DEFAULT-VALUE}).")
    double memoryTarget;

    @Option(
            names = "--scale-up-window",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "cpu and memory: add instances only when every recommendation of this window called for them "
                    + "(default: ${DEFAULT-VALUE}).")
    int scaleUpWindowSeconds;

    @Option(
            names = "--scale-down-window",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "cpu and memory: remove instances only when every recommendation of this window allowed it "
                    + "(default: ${DEFAULT-VALUE}).")
    int scaleDownWindowSeconds;

    @Option(
            names = "--warm-up",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "cpu and memory: an instance's first seconds (JVM warm-up) are left out of the average "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmUpSeconds;

    /** Whether the lag policy is on (only it scales to zero). */
    boolean lag() {
        return policy.contains(Policy.lag);
    }

    /** Whether a utilisation policy is on: the instances' /metrics are then read. */
    boolean utilisation() {
        return policy.contains(Policy.cpu) || policy.contains(Policy.memory);
    }

    /**
     * The policies chosen, between {@code min} and {@code max} instances.
     *
     * @throws IllegalArgumentException for a target or window out of range
     */
    Policies policies(int min, int max, ScalingPolicy.Settings lagSettings) {
        return new Policies(
                min,
                max,
                lag() ? new ScalingPolicy(lagSettings) : null,
                policy.contains(Policy.cpu) ? new UtilisationPolicy(resource("cpu", cpuTarget)) : null,
                policy.contains(Policy.memory) ? new UtilisationPolicy(resource("memory", memoryTarget)) : null);
    }

    private UtilisationPolicy.Settings resource(String name, double targetPercent) {
        return new UtilisationPolicy.Settings(
                name,
                targetPercent / 100,
                Duration.ofSeconds(scaleUpWindowSeconds),
                Duration.ofSeconds(scaleDownWindowSeconds));
    }

    /** An instance's first seconds, left out of the average. */
    Duration warmUp() {
        return Duration.ofSeconds(warmUpSeconds);
    }

    /** The policies in words, {@code lagPolicy} describing the lag one. */
    String describe(String lagPolicy) {
        List<String> parts = new ArrayList<>();
        if (lag()) {
            parts.add(lagPolicy);
        }
        if (policy.contains(Policy.cpu)) {
            parts.add("cpu (target " + (int) cpuTarget + "%)");
        }
        if (policy.contains(Policy.memory)) {
            parts.add("memory (target " + (int) memoryTarget + "%)");
        }
        String windows = utilisation()
                ? ", windows " + scaleUpWindowSeconds + " s up and " + scaleDownWindowSeconds + " s down, warm-up "
                        + warmUpSeconds + " s"
                : "";
        return String.join(" and ", parts) + windows;
    }
}
