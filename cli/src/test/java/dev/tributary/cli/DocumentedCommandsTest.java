package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tributary.functions.ModelCatalog;
import dev.tributary.model.ModelSpecs;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.runtime.Gateway;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.EventLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every command the README and the docs show runs as written, as far as it can without a cluster:
 * each {@code tributary} line of a fenced shell block (synopses are in plain blocks) parses with the CLI's own parser (the arguments of
 * {@code autoscale} after {@code --} as {@code run} parses them), names files of the repository that
 * exist, and each {@code curl} request gets a 2xx answer from a gateway whose registry holds the
 * models the same pages create.
 */
class DocumentedCommandsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern FENCE = Pattern.compile("(?ms)^```(?:bash|sh|shell)\\n(.*?)^```");
    static final Pattern CURL_URL = Pattern.compile("(?:https?://)?(?:localhost|127\\.0\\.0\\.1):\\d+(/\\S*)");

    /** One command of a page: where it is and its words as a shell would split them. */
    record Documented(String where, List<String> words) {
        boolean isTributary() {
            return !words.isEmpty()
                    && (words.get(0).equals("./tributary") || words.get(0).equals("tributary"));
        }

        boolean isCurl() {
            return !words.isEmpty() && words.get(0).equals("curl");
        }

        String[] args() {
            return words.subList(1, words.size()).toArray(String[]::new);
        }
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Documented> commands() throws IOException {
        List<Documented> commands = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher block = FENCE.matcher(text);
            while (block.find()) {
                int line = (int) text.substring(0, block.start(1)).lines().count() + 1;
                String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
                for (String command : joined.split("\\n")) {
                    commands.add(
                            new Documented(ROOT.relativize(page) + " near line " + line, ShellWords.split(command)));
                }
            }
        }
        return commands;
    }

    static ParseResult parse(Documented command) {
        try {
            return Tributary.commandLine(
                            new java.io.PrintWriter(java.io.Writer.nullWriter()),
                            new java.io.PrintWriter(java.io.Writer.nullWriter()),
                            false)
                    .parseArgs(command.args());
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(
                    command.where() + ": " + String.join(" ", command.words()) + ": " + e.getMessage(), e);
        }
    }

    static ParseResult leaf(ParseResult parsed) {
        return parsed.hasSubcommand() ? leaf(parsed.subcommand()) : parsed;
    }

    @Test
    void thePagesShowCommandsAndRequests() throws IOException {
        List<Documented> commands = commands();
        assertThat(commands.stream().filter(Documented::isTributary).count()).isGreaterThan(20);
        assertThat(commands.stream().filter(Documented::isCurl).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyTributaryCommandParsesAndItsRepositoryFilesExist() throws IOException {
        for (Documented command : commands()) {
            if (!command.isTributary()) {
                continue;
            }
            ParseResult leaf = leaf(parse(command));
            if (leaf.commandSpec().userObject() instanceof AutoscaleCommand autoscale) {
                try {
                    new CommandLine(new RunCommand())
                            .parseArgs(autoscale.runArgs().toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    fail(command.where() + ": after --: " + e.getMessage());
                }
            }
            for (String word : command.words()) {
                if (word.startsWith("examples/")) {
                    assertThat(ROOT.resolve(word))
                            .as(command.where() + ": " + word)
                            .exists();
                }
            }
        }
    }

    @Test
    void everyCurlRequestIsAcceptedByTheGatewayWithTheModelsThePagesCreate() throws Exception {
        RegistryView view = new RegistryView();
        List<Documented> commands = commands();
        for (Documented command : commands) {
            if (command.isTributary()
                    && leaf(parse(command)).commandSpec().userObject() instanceof ModelsCreateCommand create) {
                ModelSpec spec = create.options.toSpec(create.name);
                view.apply(RegistryKeys.spec(create.name), new RegistryRecord(spec));
                view.apply(
                        RegistryKeys.version(create.name, 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        try (Gateway gateway = new Gateway(
                new ModelCatalog(view, t -> true),
                (key, value) -> {},
                (key, value) -> {},
                EventLimits.DEFAULT,
                "127.0.0.1",
                0,
                1)) {
            for (Documented command : commands) {
                if (!command.isCurl()) {
                    continue;
                }
                int d = command.words().indexOf("-d");
                Matcher url = CURL_URL.matcher(String.join(" ", command.words()));
                assertThat(d).as(command.where() + ": a curl request with -d").isPositive();
                assertThat(url.find()).as(command.where() + ": a local URL").isTrue();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + url.group(1)))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        command.words().get(d + 1)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode())
                        .as(command.where() + ": " + response.body())
                        .isBetween(200, 299);
            }
        }
    }
}
