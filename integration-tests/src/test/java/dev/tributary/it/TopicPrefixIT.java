package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cli.Tributary;
import dev.tributary.schema.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --topic-prefix} works across the command line against a real broker: models, schemas,
 * produce, consume and usage all use PREFIX.* topics, and the default topics see none of it.
 */
class TopicPrefixIT {
    static TestBroker kafka;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void start() {
        kafka = TestBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Topics.prefixed("acme").ensure(admin, 1); // as 'run --topic-prefix acme' creates them
            Topics.defaults().ensure(admin, 1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(kafka);
    }

    static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Tributary.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandUsesThePrefixedTopics(@TempDir Path dir) throws Exception {
        assertThat(cli(
                                "models",
                                "create",
                                "prefixed",
                                "--algorithm",
                                "linear",
                                "--features",
                                "a,b",
                                "--topic-prefix",
                                "acme")
                        .code())
                .isZero();
        assertThat(cli("models", "list", "--topic-prefix", "acme").out()).contains("prefixed");
        assertThat(cli("models", "list").out()).doesNotContain("prefixed");
        assertThat(cli("models", "show", "prefixed", "--topic-prefix", "acme").code())
                .isZero();

        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, "{\"id\":\"p1\",\"model\":\"prefixed\",\"features\":{\"a\":1,\"b\":2}}\n");
        Run produced = cli("produce", "--json", events.toString(), "--topic-prefix", "acme");
        assertThat(produced.code()).as(produced.err()).isZero();
        assertThat(produced.out()).contains("acme.events");
        Run consumed = cli(
                "consume", "--topic", "acme.events", "--from-beginning", "--timeout", "3", "--topic-prefix", "acme");
        assertThat(consumed.out()).contains("\"p1\"");
        assertThat(cli("consume", "--from-beginning", "--timeout", "1", "--topic-prefix", "acme")
                        .err())
                .doesNotContain("does not exist");

        Run schemas = cli("schemas", "list", "--topic-prefix", "acme");
        assertThat(schemas.code()).as(schemas.err()).isZero();
        assertThat(schemas.out()).contains("RegistryRecord");
        Run usage = cli("usage", "--topic-prefix", "acme");
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out()).contains("acme.usage");
    }

    @Test
    void produceJsonChecksEveryLineAgainstThePrefixedRegistryAndSendsNothingOnAProblem(@TempDir Path dir)
            throws Exception {
        assertThat(cli(
                                "models",
                                "create",
                                "checked",
                                "--algorithm",
                                "logistic",
                                "--features",
                                "a",
                                "--topic-prefix",
                                "acme")
                        .code())
                .isZero();
        String good = "{\"id\":\"c1\",\"model\":\"checked\",\"features\":{\"a\":1},\"label\":1}\n";
        for (String[] bad : new String[][] {
            {"not json\n", "events.jsonl:2: "},
            {"{\"id\":\"c2\",\"model\":\"nowhere\",\"features\":{\"a\":1}}\n", "events.jsonl:2: unknown model 'nowhere'"
            },
            {"{\"id\":\"c3\",\"model\":\"checked\",\"features\":{\"b\":1}}\n", "events.jsonl:2: missing feature 'a'"},
            {"{\"id\":\"c4\",\"model\":\"checked\",\"features\":{\"a\":1},\"label\":2}\n", "events.jsonl:2: label 2.0"}
        }) {
            Path events = Files.writeString(dir.resolve("events.jsonl"), good + bad[0]);
            Run run = cli("produce", "--json", events.toString(), "--topic-prefix", "acme");
            assertThat(run.code()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).contains(bad[1]).contains("nothing was sent");
        }
        Run unprefixed = cli(
                "produce",
                "--json",
                Files.writeString(dir.resolve("events.jsonl"), good).toString());
        assertThat(unprefixed.err()).as("the model is in acme's registry only").contains("unknown model 'checked'");
        Run consumed = cli(
                "consume", "--topic", "acme.events", "--from-beginning", "--timeout", "3", "--topic-prefix", "acme");
        assertThat(consumed.out()).doesNotContain("\"c1\"");
    }
}
