package dev.tributary.cli;

import dev.tributary.registry.Clients;
import dev.tributary.registry.TopicFollower;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.WriterSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writer schemas: what lets a producer (or an instance) of another release be read. */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Register and list the Avro writer schemas of Tributary's records.",
            "Register the schema of any producer that writes Avro events with a schema other than this release's."
        },
        subcommands = {SchemasCommand.Register.class, SchemasCommand.List.class})
public final class SchemasCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a schemas command: register or list");
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            versionProvider = Tributary.Version.class,
            description = "Check an Avro schema file (.avsc) against this release's record and register it.")
    static final class Register implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(
                paramLabel = "FILE",
                description = "The writer's schema, e.g. an Event with a field added or removed.")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Schema schema = parse(file);
            WriterSchemas.problem(schema).ifPresent(problem -> {
                throw new CliException(file + " cannot be registered: " + problem
                        + ". Give new fields a default; keep (or give a default to) every field this release needs");
            });
            Map<String, Object> props = kafka.reachableClientProperties();
            WriterSchemas.register(Clients.bounded(props), kafka.topics().schemas(), schema);
            spec.commandLine()
                    .getOut()
                    .println("Registered " + WriterSchemas.key(schema) + " on "
                            + kafka.topics().schemas() + ": its records can now be read by every instance.");
            return 0;
        }

        private Schema parse(Path path) {
            byte[] json;
            try {
                json = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "cannot read " + path + ": " + e.getMessage());
            }
            try {
                return WriterSchemas.parse(json);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), path + " is " + e.getMessage());
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = Tributary.Version.class,
            description = "List the registered writer schemas and whether this release can read their records.")
    static final class List implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> props = kafka.reachableClientProperties();
            Map<String, Schema> schemas = new TreeMap<>();
            String topic = kafka.topics().schemas();
            try (TopicFollower follower = new TopicFollower(props, topic, r -> {
                        if (r.value() != null) {
                            schemas.put(new String(r.key(), StandardCharsets.UTF_8), WriterSchemas.parse(r.value()));
                        }
                    })
                    .start()) {
                if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                    throw new CliException("cannot read " + topic + " within 30 s"
                            + follower.problem().map(p -> " (" + p + ")").orElse(""));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (schemas.isEmpty()) {
                out.println("No schemas registered on " + topic + " yet.");
                return 0;
            }
            Table table = new Table("RECORD", "FINGERPRINT", "FIELDS", "READABLE HERE");
            for (Schema s : schemas.values()) {
                table.row(
                        s.getFullName(),
                        AvroCodec.hex(AvroCodec.fingerprint(s)),
                        s.getFields().size(),
                        WriterSchemas.problem(s).map(p -> "no: " + p).orElse("yes"));
            }
            out.println(table);
            return 0;
        }
    }
}
