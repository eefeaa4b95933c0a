package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AutoscaleCommandTest {
    @Test
    void argumentsAfterTheDoubleDashGoToEveryRunAfterTheOnesAutoscaleSets() {
        AutoscaleCommand autoscale = parse(
                "autoscale",
                "--bootstrap-servers",
                "h:1",
                "--application-id",
                "app",
                "--",
                "--processing-guarantee",
                "at_least_once");
        assertThat(autoscale.runArgs())
                .containsExactly(
                        "--application-id",
                        "app",
                        "--http-port",
                        "0",
                        "--partitions",
                        "4",
                        "--bootstrap-servers",
                        "h:1",
                        "--processing-guarantee",
                        "at_least_once");
    }

    @Test
    void cpuAndMemoryPoliciesHaveEveryInstanceServeItsMetricsOnTheLoopback() {
        AutoscaleCommand autoscale = parse("autoscale", "--bootstrap-servers", "h:1", "--policy", "lag,cpu");
        assertThat(autoscale.runArgs())
                .containsSubsequence("--http-host", "127.0.0.1")
                .doesNotContain("--http-port");
        assertThat(autoscale.policies().usesMetrics()).isTrue();
        assertThat(autoscale.policies().usesLag()).isTrue();
    }

    @Test
    void withoutTheLagPolicyAtLeastOneInstanceRuns() {
        assertThat(parse("autoscale", "--policy", "memory").policies().min()).isEqualTo(1);
        assertThat(parse("autoscale").policies().min()).isZero();
    }

    @Test
    void anUnknownPolicyOrTargetIsAUsageError() {
        CliRun unknown = CliRun.of("autoscale", "--policy", "lag,disk");
        assertThat(unknown.code()).isEqualTo(Errors.USAGE);
        assertThat(unknown.err()).contains("--policy").contains("disk");
        CliRun target = CliRun.of("autoscale", "--policy", "cpu", "--cpu-target", "150");
        assertThat(target.code()).isEqualTo(Errors.USAGE);
        assertThat(target.err()).contains("--cpu-target must be a percentage above 0 and at most 100, got 150%");
    }

    @Test
    void theOptionsAutoscaleSetsForEachInstanceAreRefusedAfterTheDoubleDash() {
        CliRun run = CliRun.of("autoscale", "--", "--state-dir=/tmp/x");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--state-dir is set by autoscale for every instance");
    }

    @Test
    void aFunctionFileIsRefusedWithWhatToDoInstead() {
        CliRun run = CliRun.of("autoscale", "--", "--functions", "functions.yaml");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--functions does not go with autoscale").contains("tributary-fn-NAME");
    }

    @Test
    void anArgumentRunWouldRefuseIsAUsageErrorAtStart() {
        CliRun run = CliRun.of("autoscale", "--bootstrap-servers", "127.0.0.1:1", "--", "--no-such-flag");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("not valid for 'tributary run'").contains("--no-such-flag");
    }

    @Test
    void inconsistentLimitsAreAUsageError() {
        CliRun run = CliRun.of("autoscale", "--min", "3", "--max", "2");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--max must be at least 1 and at least --min (3), got 2");
    }

    @Test
    void aHeapThatJavaWouldRefuseIsAUsageError() {
        CliRun run = CliRun.of("autoscale", "--child-heap", "lots");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--child-heap takes a size like 512m");
    }

    @Test
    void aPollIntervalOfZeroIsAUsageError() {
        CliRun run = CliRun.of("autoscale", "--poll-interval", "0");
        assertThat(run.code()).isEqualTo(Errors.USAGE);
        assertThat(run.err()).contains("--poll-interval must be at least 1 second");
    }

    static AutoscaleCommand parse(String... args) {
        CommandLine cli = Tributary.commandLine(
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()),
                false);
        return (AutoscaleCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
    }
}
