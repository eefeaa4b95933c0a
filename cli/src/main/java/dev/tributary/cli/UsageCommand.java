package dev.tributary.cli;

import dev.tributary.schema.UsageRecord;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.DecodeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The bill: the usage topic added up over a time range, by function and model (or instance). */
@Command(
        name = "usage",
        mixinStandardHelpOptions = true,
        versionProvider = Tributary.Version.class,
        description = {
            "Print what the functions did and what it costs: invocations, errors, CPU time and GB-seconds per "
                    + "function and model, from the usage topic (committed records up to its end when the command starts).",
            "The default prices are AWS Lambda's public x86 list prices, as an example; give your own with "
                    + "--price-per-gb-second and --price-per-million."
        })
public final class UsageCommand implements Callable<Integer> {
    enum Format {
        table,
        json
    }

    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Usage of intervals ending at or after WHEN: a time ago (30m, 1h, 7d) or a UTC time "
                    + "(2026-11-27T10:00Z, 2026-11-27) (default: everything the topic holds).")
    String since;

    @Option(
            names = "--until",
            paramLabel = "WHEN",
            description = "Usage of intervals ending before WHEN (default: now).")
    String until;

    @Option(
            names = "--by",
            paramLabel = "GROUP",
            split = ",",
            defaultValue = "function,model",
            description = "Rows per function, model and/or instance, comma-separated (default: ${DEFAULT-VALUE}).")
    List<UsageBill.By> by;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table", description = "table (default) or json.")
    Format format;

    @Option(
            names = "--price-per-gb-second",
            paramLabel = "PRICE",
            description =
                    "Price of one GB-second (default: 0.0000166667, AWS Lambda's x86 list price in USD, an example).")
    Double pricePerGbSecond;

    @Option(
            names = "--price-per-million",
            paramLabel = "PRICE",
            description =
                    "Price of one million invocations (default: 0.20, AWS Lambda's list price in USD, an example).")
    Double pricePerMillion;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The usage topic (default: PREFIX.usage, tributary.usage).")
    String topic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant from = since == null ? null : time("--since", since, now);
        Instant to = until == null ? now : time("--until", until, now);
        if (from != null && !from.isBefore(to)) {
            throw new ParameterException(
                    spec.commandLine(), "--since (" + from + ") must be before --until (" + to + ")");
        }
        UsageBill.Prices prices = prices();
        if (topic == null) {
            topic = kafka.topics().usage();
        }
        UsageBill bill = new UsageBill(by, prices);
        Map<String, Object> props = kafka.reachableClientProperties();
        read(props, from, to, bill);

        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            var json = bill.json();
            json.put("from", from == null ? null : from.toString());
            json.put("until", to.toString());
            json.put("examplePrices", prices.equals(UsageBill.Prices.EXAMPLE));
            out.println(Json.pretty(json));
            return 0;
        }
        String range = (from == null ? "from the start of the topic" : "from " + from) + " until " + to;
        if (bill.isEmpty()) {
            out.println(
                    "No usage " + range + " in " + topic + " (the functions write usage every 10 s while they process "
                            + "events: is 'tributary run' running?).");
            return 0;
        }
        out.println("Usage " + range + ":");
        out.println(bill.table());
        out.println(String.format(
                Locale.ROOT,
                "Cost = GB-seconds x %s + invocations / 1,000,000 x %s%s.",
                plain(prices.perGbSecond()),
                plain(prices.perMillion()),
                prices.equals(UsageBill.Prices.EXAMPLE)
                        ? " (AWS Lambda's public x86 list prices in USD, an example: set --price-per-gb-second and "
                                + "--price-per-million)"
                        : ""));
        return 0;
    }

    /** 0.0000166667, not 1.66667E-5. */
    static String plain(double price) {
        return java.math.BigDecimal.valueOf(price).stripTrailingZeros().toPlainString();
    }

    private UsageBill.Prices prices() {
        double gbs = pricePerGbSecond == null ? UsageBill.Prices.EXAMPLE.perGbSecond() : pricePerGbSecond;
        double million = pricePerMillion == null ? UsageBill.Prices.EXAMPLE.perMillion() : pricePerMillion;
        if (!(gbs >= 0) || !(million >= 0) || Double.isInfinite(gbs) || Double.isInfinite(million)) {
            throw new ParameterException(spec.commandLine(), "prices must be finite and not negative");
        }
        return new UsageBill.Prices(gbs, million);
    }

    private Instant time(String option, String text, Instant now) {
        try {
            return parseTime(text, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** "1h" (that long before {@code now}), "2026-11-27T10:00Z" or "2026-11-27T10:00:00+01:00", or "2026-11-27" (UTC midnight). */
    static Instant parseTime(String text, Instant now) {
        String t = text.trim();
        Matcher ago = AGO.matcher(t);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration unit = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return t.contains("T")
                    ? OffsetDateTime.parse(t).toInstant()
                    : LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a time ago (30m, 1h, 7d) nor a time with its "
                    + "offset (2026-11-27T10:00Z) nor a date (2026-11-27)");
        }
    }

    /** Adds the committed usage records whose interval ended in [from, to), reading up to the end offsets at start. */
    private void read(Map<String, Object> clientProperties, Instant from, Instant to, UsageBill bill) {
        AvroCodec<UsageRecord> codec = AvroCodec.of(UsageRecord.class);
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.committedReader(clientProperties, "tributary-cli-usage")) {
            List<TopicPartition> partitions = Kafka.partitions(consumer, topic, kafka.bootstrapServers());
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Kafka.TIMEOUT);
            seekToStart(consumer, partitions, from);
            long lastProgress = System.nanoTime();
            while (!reachedEnd(consumer, end)) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after the command started
                    }
                    try {
                        UsageRecord usage = codec.decode(r.value());
                        if ((from == null || usage.getIntervalEnd() >= from.toEpochMilli())
                                && usage.getIntervalEnd() < to.toEpochMilli()) {
                            bill.add(usage);
                        }
                    } catch (DecodeException e) {
                        undecodable++;
                    }
                }
                if (!records.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > Kafka.TIMEOUT.toNanos()) {
                    throw new CliException("reading " + topic + " made no progress for " + Kafka.TIMEOUT.toSeconds()
                            + " s; is the broker still there?");
                }
            }
        }
        if (undecodable > 0) {
            LoggerFactory.getLogger(UsageCommand.class)
                    .warn("{} records of {} are not usage records and were skipped", undecodable, topic);
        }
    }

    /** The beginning, or the first record written at or after {@code from} (a record is written at its interval's end). */
    private static void seekToStart(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Kafka.TIMEOUT);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp at = found.get(p);
            if (at == null) {
                consumer.seekToEnd(List.of(p));
            } else {
                consumer.seek(p, at.offset());
            }
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), Kafka.TIMEOUT) >= e.getValue());
    }
}
