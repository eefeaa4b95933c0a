package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tributary.schema.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docker-compose.yml cannot run on the build machines (no Docker engine), so this test holds it to
 * what the CLI accepts: every command the compose file gives the image parses, they all talk to the
 * compose file's broker, the function instances form one application, and the producer's CSV exists
 * and fits the model the compose file creates.
 */
class ComposeFileTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final String BROKER = "kafka:9092";

    static JsonNode services;
    static final Map<String, ParseResult> commands = new LinkedHashMap<>();

    @BeforeAll
    static void readComposeFile() throws IOException {
        assertThat(COMPOSE).as("the compose file at the repository root").isRegularFile();
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
        services = compose.path("services");
        assertThat(services.isObject())
                .as("docker-compose.yml has a services: map")
                .isTrue();
        services.fields().forEachRemaining(s -> {
            if (builtFromProject(s.getValue())) {
                commands.put(s.getKey(), parse(s.getKey(), s.getValue()));
            }
        });
    }

    @Test
    void theServicesAreThere() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "models", "functions-1", "functions-2", "producer");
        assertThat(commands.keySet())
                .as("services built from the project's Dockerfile")
                .contains("models", "functions-1", "functions-2", "producer");
    }

    @Test
    void kafkaIsTheOfficialImageAdvertisingTheAddressTheOthersUse() {
        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("://" + BROKER);
    }

    @Test
    void kafkaLeavesTopicCreationToTributary() {
        // A producer that starts before the functions would otherwise auto-create tributary.events
        // with one partition, and the second function instance would get nothing to do.
        assertThat(services.path("kafka")
                        .path("environment")
                        .path("KAFKA_AUTO_CREATE_TOPICS_ENABLE")
                        .asText())
                .isEqualTo("false");
    }

    @Test
    void everyProjectServiceRunsACommandTheCliAccepts() {
        commands.forEach((service, parsed) -> {
            ParseResult leaf = leaf(parsed);
            assertThat(leaf.matchedOptionValue("--bootstrap-servers", (String) null))
                    .as(service + " --bootstrap-servers")
                    .isEqualTo(BROKER);
            assertThat(leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested())
                    .as(service + " asks only for help")
                    .isFalse();
        });
        assertThat(subcommand(commands.get("models"))).isEqualTo("tributary models create");
        assertThat(subcommand(commands.get("functions-1"))).isEqualTo("tributary run");
        assertThat(subcommand(commands.get("functions-2"))).isEqualTo("tributary run");
        assertThat(subcommand(commands.get("producer"))).isEqualTo("tributary produce");
    }

    @Test
    void theFunctionInstancesAreOneApplicationWithAPartitionEach() {
        List<String> functions = commands.keySet().stream()
                .filter(s -> subcommand(commands.get(s)).equals("tributary run"))
                .toList();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(2);
        List<String> ids = functions.stream()
                .map(s -> runOption(s, "--application-id"))
                .distinct()
                .toList();
        assertThat(ids).as("application ids of " + functions).hasSize(1);
        for (String s : functions) {
            assertThat(Integer.parseInt(runOption(s, "--partitions")))
                    .as(s + " --partitions")
                    .isGreaterThanOrEqualTo(functions.size());
        }
    }

    @Test
    void theProducersCsvExistsAndFitsTheModel() throws IOException {
        ParseResult produce = leaf(commands.get("producer"));
        String csvInContainer = produce.matchedOptionValue("--csv", (Path) null).toString();
        Path csv = hostPath(services.path("producer"), csvInContainer);
        assertThat(csv).as("the producer's CSV on the host").isRegularFile();
        assertThat(csv.startsWith(ROOT.resolve("examples")))
                .as(csv + " is under examples/")
                .isTrue();
        String topic = produce.matchedOptionValue("--topic", Topics.defaults().events());
        assertThat(topic).isEqualTo(Topics.defaults().events());

        ParseResult create = leaf(commands.get("models"));
        String model = create.matchedPositionalValue(0, (String) null);
        assertThat(produce.matchedOptionValue("--model", (String) null))
                .as("the producer's --model")
                .isEqualTo(model);
        String label = produce.matchedOptionValue("--label", (String) null);
        List<String> header = header(csv);
        assertThat(header).as("columns of " + csv.getFileName()).contains(label);
        List<String> features = create.matchedOptionValue("--features", List.<String>of());
        List<String> expected = new ArrayList<>(header);
        expected.remove(label);
        assertThat(features)
                .as("the models service's --features: the CSV's header minus --label " + label)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void prometheusScrapesEveryFunctionInstanceAtItsHttpPort() throws IOException {
        JsonNode prometheus = services.path("prometheus");
        assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:");
        Path config = null;
        for (JsonNode volume : prometheus.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length >= 2 && parts[1].equals("/etc/prometheus/prometheus.yml")) {
                config = ROOT.resolve(parts[0]).normalize();
            }
        }
        assertThat(config).as("deploy/prometheus.yml on the host").isRegularFile();
        List<String> targets = new ArrayList<>();
        new ObjectMapper(new YAMLFactory())
                .readTree(config.toFile())
                .path("scrape_configs")
                .forEach(job -> job.path("static_configs")
                        .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText()))));
        List<String> expected = commands.keySet().stream()
                .filter(s -> subcommand(commands.get(s)).equals("tributary run"))
                .map(s -> s + ":" + runOption(s, "--http-port"))
                .toList();
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(subcommand(commands.get("gateway"))).isEqualTo("tributary gateway");
    }

    @Test
    void theImageRunsTheCliJarWithTheClassDataSharingArchiveItWroteAtBuildTimeAndTheLaunchersPauseGoal()
            throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8);
        String launcher = Files.readString(ROOT.resolve("tributary"), StandardCharsets.UTF_8);
        String pauseGoal = "-XX:MaxGCPauseMillis=10";
        assertThat(launcher).as("the launcher's pause goal").contains("gc=(\"" + pauseGoal + "\")");
        assertThat(dockerfile)
                .contains("-XX:ArchiveClassesAtExit=/opt/tributary/tributary.jsa -jar /opt/tributary/tributary.jar "
                        + WarmUpCommand.NAME)
                .contains("ENTRYPOINT [\"java\", \"-XX:SharedArchiveFile=/opt/tributary/tributary.jsa\", \"" + pauseGoal
                        + "\", \"-jar\", \"/opt/tributary/tributary.jar\"]")
                .doesNotContain("SERIALIZABLE_PACKAGES")
                .contains("cli/target/tributary.jar");
    }

    // -- helpers

    static boolean builtFromProject(JsonNode service) {
        JsonNode build = service.path("build");
        String context =
                build.isTextual() ? build.asText() : build.path("context").asText("");
        return !context.isEmpty() && ROOT.resolve(context).normalize().equals(ROOT);
    }

    static ParseResult parse(String service, JsonNode node) {
        JsonNode command = node.path("command");
        if (!command.isArray()) {
            fail("service %s needs its command as a list of arguments (exec form), got %s", service, command);
        }
        List<String> args = new ArrayList<>();
        command.forEach(a -> args.add(a.asText()));
        try {
            CommandLine cli = CliRun.tree();
            cli.setCaseInsensitiveEnumValuesAllowed(true);
            return cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("service " + service + ": the CLI refuses " + args + ": " + e.getMessage(), e);
        }
    }

    static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p;
    }

    static String subcommand(ParseResult parsed) {
        return leaf(parsed).commandSpec().qualifiedName();
    }

    /** An option of a run service, as given or else its default. */
    static String runOption(String service, String option) {
        ParseResult run = leaf(commands.get(service));
        var spec = run.commandSpec().findOption(option);
        assertThat(spec).as("tributary run " + option).isNotNull();
        Object value = run.matchedOptionValue(option, null);
        return value != null ? value.toString() : spec.defaultValue();
    }

    /** Where a path inside a service's container comes from on the host, through its bind mounts. */
    static Path hostPath(JsonNode service, String containerPath) {
        for (JsonNode volume : service.path("volumes")) {
            String source;
            String target;
            if (volume.isTextual()) {
                String[] parts = volume.asText().split(":");
                if (parts.length < 2) {
                    continue;
                }
                source = parts[0];
                target = parts[1];
            } else {
                source = volume.path("source").asText();
                target = volume.path("target").asText();
            }
            String prefix = target.endsWith("/") ? target : target + "/";
            if ((source.startsWith(".") || source.startsWith("/")) && containerPath.startsWith(prefix)) {
                return ROOT.resolve(source)
                        .resolve(containerPath.substring(prefix.length()))
                        .normalize();
            }
        }
        throw new AssertionError(containerPath + " is not in any volume of the service: " + service.path("volumes"));
    }

    static List<String> header(Path csv) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            assertThat(line).as(csv + " has a header").isNotNull();
            return Arrays.stream(line.split(",")).map(String::trim).toList();
        }
    }
}
