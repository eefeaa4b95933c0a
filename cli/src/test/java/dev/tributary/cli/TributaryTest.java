package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class TributaryTest {
    @Test
    void unknownFlagIsOneSentenceAndExitTwo() {
        CliRun run = CliRun.of("demo", "--bogus");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("Unknown option: '--bogus'").contains("tributary demo --help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("Missing a command");
    }

    @Test
    void aMisspeltCommandOrOptionGetsASuggestion() {
        CliRun command = CliRun.of("rnu");
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.errLines()).hasSize(1);
        assertThat(command.err()).contains("Did you mean 'run'");
        assertThat(CliRun.of("produce", "--modle", "m", "--json", "x").err()).contains("Did you mean '--model'");
    }

    @Test
    void theMissingCommandMessageNamesEveryCommand() {
        String err = CliRun.of().err();
        CliRun.tree().getSubcommands().forEach((command, line) -> {
            if (line.getCommandSpec().usageMessage().hidden()) {
                assertThat(err).as(command).doesNotContain(command);
            } else {
                assertThat(err).as(command).contains(command.equals("help") ? "usage" : command);
            }
        });
    }

    @Test
    void aCommandLineNamingACommandBuildsThatOneOnly() {
        java.io.PrintWriter none = new java.io.PrintWriter(java.io.Writer.nullWriter());
        assertThat(Tributary.commandLine(none, none, false, "run").getSubcommands())
                .containsOnlyKeys("run");
        assertThat(Tributary.commandLine(none, none, false, "help").getSubcommands())
                .containsKeys("run", "models", "help");
        assertThat(Tributary.commandLine(none, none, false, "trian").getSubcommands())
                .containsKeys("run", "models", "help");
        assertThat(Tributary.commandName(new String[] {"--verbose", "run", "--help"}))
                .isEqualTo("run");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun run = CliRun.of("trian");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "broker", "deploy", "run", "models", "produce", "consume"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Usage: tributary " + command);
        if (!command.equals("broker") && !command.equals("models") && !command.equals("deploy")) {
            assertThat(run.out()).contains("--bootstrap-servers").contains("--kafka-config");
        }
    }

    @Test
    void everyCommandThatTalksToKafkaTakesTheTopicPrefixAndRunListsEveryTopic() {
        CommandLine cli = CliRun.tree();
        List<String> withKafka = new ArrayList<>();
        collect(cli, withKafka);
        assertThat(withKafka).hasSizeGreaterThan(15);
        for (String command : withKafka) {
            assertThat(CliRun.of((command + " --help").split(" ")).out())
                    .as(command)
                    .contains("--topic-prefix");
        }
        assertThat(CliRun.of("run", "--help").out().replaceAll("\\s+", ""))
                .contains(
                        "PREFIX.events",
                        "PREFIX.predictions",
                        "PREFIX.models",
                        "PREFIX.schemas",
                        "PREFIX.dead-letters",
                        "PREFIX.usage");
    }

    /** The commands (as "models create") whose options include the Kafka connection. */
    private static void collect(CommandLine cli, List<String> into) {
        if (cli.getCommandSpec().findOption("--bootstrap-servers") != null) {
            into.add(cli.getCommandSpec().qualifiedName(" ").substring("tributary ".length()));
        }
        cli.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    @Test
    void aBrokerOnATakenPortIsOneLine() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("broker", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains("the port is already in use");
        }
    }

    @Test
    void retireTakesEitherAVersionOrAll() {
        assertThat(CliRun.of("models", "retire", "m").err()).contains("give the VERSION to retire, or --all");
        CliRun both = CliRun.of("models", "retire", "m", "3", "--all");
        assertThat(both.code()).isEqualTo(Errors.USAGE);
        assertThat(both.err()).contains("either VERSION or --all, not both");
    }

    @Test
    void modelsSubcommandsHaveHelp() {
        for (String sub : new String[] {"create", "list", "versions", "show", "alias", "rollback", "retire"}) {
            CliRun run = CliRun.of("models", sub, "--help");
            assertThat(run.code()).as(sub).isZero();
            assertThat(run.out()).contains("--bootstrap-servers");
        }
    }

    @Test
    void badEnumValueIsAUsageError() {
        CliRun run = CliRun.of("models", "create", "m", "--algorithm", "forest", "--features", "a");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("--algorithm").contains("linear, logistic, svm");
    }

    @Test
    void badEventLimitsAreRefusedBeforeConnecting() {
        CliRun run = CliRun.of("run", "--max-event-bytes", "0", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("event limits must be positive");
    }

    @Test
    void invalidHyperParametersAreRefusedBeforeConnecting() {
        CliRun run = CliRun.of(
                "models",
                "create",
                "m",
                "--algorithm",
                "linear",
                "--features",
                "a",
                "--optimizer",
                "pegasos",
                "--bootstrap-servers",
                "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("PEGASOS is only for task SVM");
    }

    @Test
    void aModelNeedsFeatures() {
        CliRun run =
                CliRun.of("models", "create", "m", "--algorithm", "logistic", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--features");
    }

    @Test
    void badModelReferenceIsAUsageError() {
        CliRun run = CliRun.of("models", "show", "a@b:3", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("NAME, NAME@ALIAS or NAME:VERSION");
    }

    @Test
    void missingKafkaConfigFileIsOneSentence(@org.junit.jupiter.api.io.TempDir Path dir) {
        CliRun run = CliRun.of(
                "consume", "--kafka-config", dir.resolve("nope.properties").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("nope.properties does not exist");
    }

    @Test
    void unreachableBrokerIsOneSentenceWithinTheBound() {
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("models", "list", "--bootstrap-servers", "127.0.0.1:1");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:1 within 15 s");
        assertThat(seconds).isLessThan(40);
    }

    @Test
    void verboseShowsTheTrace(@org.junit.jupiter.api.io.TempDir Path dir) {
        CliRun run = CliRun.of(
                "consume",
                "--verbose",
                "--kafka-config",
                dir.resolve("nope.properties").toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("at dev.tributary.cli.");
    }

    @Test
    void demoOptionsAreChecked() {
        assertThat(CliRun.of("demo", "--label", "y").code()).isEqualTo(2);
        assertThat(CliRun.of("demo", "--csv", "x.csv").err()).contains("--csv needs --label COLUMN and --algorithm");
        assertThat(CliRun.of("demo", "--events", "1").code()).isEqualTo(2);
    }

    @Test
    void demoModelNamesComeFromFileNames() {
        assertThat(DemoSource.modelName(Path.of("data/diabetes.csv"))).isEqualTo("diabetes");
        assertThat(DemoSource.modelName(Path.of("my data (1).csv"))).isEqualTo("my-data--1-");
        assertThat(DemoSource.modelName(Path.of(".csv"))).isEqualTo("csv");
    }
}
