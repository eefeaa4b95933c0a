package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.bench.BenchSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    private static BenchCommand parse(String... args) {
        CommandLine cli =
                Tributary.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult parsed = cli.parseArgs(all);
        return (BenchCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsAreTheDocumentedSizes() {
        BenchCommand c = parse();
        BenchSettings s = c.settings();
        assertThat(s.events()).isEqualTo(1_000_000);
        assertThat(s.features()).isEqualTo(20);
        assertThat(s.partitions()).isEqualTo(4);
        assertThat(s.threads()).isEqualTo(1);
        assertThat(s.commitIntervalMs()).isEqualTo(100);
        assertThat(s.rate()).isNull();
        assertThat(s.guarantees()).containsExactly("exactly_once_v2", "at_least_once");
        assertThat(s.streamsOverrides()).isEmpty();
        assertThat(s.instances()).as("no scale-out phase").isZero();
        assertThat(c.format).isEqualTo(BenchCommand.Format.table);
        assertThat(c.kafka.connectionGiven()).isFalse();
    }

    @Test
    void modelsSelectsTheMemoryPhase() {
        assertThat(parse().models).isNull();
        assertThat(parse("--models", "1000", "--events", "400000").models).isEqualTo(1000);
    }

    @Test
    void everyOptionIsParsed() {
        BenchCommand c = parse(
                "--events",
                "100000",
                "--features",
                "10",
                "--partitions",
                "2",
                "--threads",
                "2",
                "--rate",
                "5000",
                "--latency-seconds",
                "3",
                "--swaps",
                "1",
                "--guarantee",
                "at_least_once",
                "--commit-interval-ms",
                "1000",
                "--streams-property",
                "producer.linger.ms=5",
                "--streams-property",
                "statestore.cache.max.bytes=0",
                "--phase-timeout",
                "30",
                "--format",
                "json",
                "--bootstrap-servers",
                "broker:9092",
                "--instances",
                "3");
        BenchSettings s = c.settings();
        assertThat(s.instances()).isEqualTo(3);
        assertThat(s.events()).isEqualTo(100_000);
        assertThat(s.features()).isEqualTo(10);
        assertThat(s.partitions()).isEqualTo(2);
        assertThat(s.threads()).isEqualTo(2);
        assertThat(s.rate()).isEqualTo(5000.0);
        assertThat(s.latencySeconds()).isEqualTo(3);
        assertThat(s.swaps()).isEqualTo(1);
        assertThat(s.guarantees()).containsExactly("at_least_once");
        assertThat(s.commitIntervalMs()).isEqualTo(1000);
        assertThat(s.phaseTimeoutSeconds()).isEqualTo(30);
        assertThat(s.streamsOverrides())
                .isEqualTo(Map.of("producer.linger.ms", "5", "statestore.cache.max.bytes", "0"));
        assertThat(c.format).isEqualTo(BenchCommand.Format.json);
        assertThat(c.kafka.connectionGiven()).isTrue();
        assertThat(c.kafka.bootstrapServers()).isEqualTo("broker:9092");
    }

    @Test
    void scaleOutNeedsAtLeastTwoInstances() {
        BenchCommand c = parse("--instances", "1");
        org.assertj.core.api.Assertions.assertThatThrownBy(c::settings)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--instances must be at least 2");
    }

    @Test
    void guaranteesAreDeduplicatedInOrder() {
        assertThat(parse("--guarantee", "at_least_once,exactly_once_v2,at_least_once")
                        .settings()
                        .guarantees())
                .containsExactly("at_least_once", "exactly_once_v2");
    }

    @Test
    void theLatencyRateIsThirtyPercentOfTheScoreThroughputUnlessGiven() {
        assertThat(parse().settings().latencyRate(100_000.0)).isEqualTo(30_000.0);
        assertThat(parse("--rate", "1234").settings().latencyRate(100_000.0)).isEqualTo(1234.0);
    }

    @Test
    void badSizesAreUsageErrors() {
        for (List<String> args : List.of(
                List.of("--events", "0"),
                List.of("--features", "0"),
                List.of("--partitions", "0"),
                List.of("--rate", "-1"),
                List.of("--latency-seconds", "0"),
                List.of("--guarantee", "exactly_once"),
                List.of("--format", "xml"))) {
            String[] all = new String[args.size() + 1];
            all[0] = "bench";
            for (int i = 0; i < args.size(); i++) {
                all[i + 1] = args.get(i);
            }
            CliRun run = CliRun.of(all);
            assertThat(run.code()).as("%s", args).isEqualTo(2);
            assertThat(run.out()).as("%s", args).isEmpty();
        }
    }

    @Test
    void itIsListedAmongTheCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.out()).contains("bench");
    }
}
