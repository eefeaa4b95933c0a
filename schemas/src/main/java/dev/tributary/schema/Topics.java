package dev.tributary.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Tributary's topics, their names and policies, and their creation.
 *
 * <pre>{@code
 * Topics topics = Topics.defaults();
 * topics.ensure(admin, 4);   // idempotent: existing topics are left as they are
 * }</pre>
 *
 * @param events the default trigger topic (input events)
 * @param predictions one prediction per valid event
 * @param models the compacted registry of specs, versions and aliases
 * @param deadLetters everything that could not be used, with its reason in headers
 * @param usage the metering records ({@code UsageRecord}): what each function did per model and interval
 * @see #schemas()
 */
public record Topics(String events, String predictions, String models, String deadLetters, String usage) {
    /** Room for a model of 2^20 weights with its optimizer state. */
    public static final int REGISTRY_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
    /** How long usage records are kept: long enough to bill a month. */
    public static final long USAGE_RETENTION_MS = TimeUnit.DAYS.toMillis(35);

    public static final String DEFAULT_PREFIX = "tributary";

    public static Topics defaults() {
        return prefixed(DEFAULT_PREFIX);
    }

    /** {@code PREFIX.events}, {@code .predictions}, {@code .models}, {@code .dead-letters} and {@code .usage}. */
    public static Topics prefixed(String prefix) {
        return new Topics(
                prefix + ".events",
                prefix + ".predictions",
                prefix + ".models",
                prefix + ".dead-letters",
                prefix + ".usage");
    }

    /**
     * The compacted topic of Avro writer schemas (key {@code RecordName/fingerprint}, value the schema's
     * JSON), named after the registry topic: {@code tributary.models} → {@code tributary.schemas}.
     */
    public String schemas() {
        return schemasOf(models);
    }

    /** The schemas topic that goes with a registry topic. */
    public static String schemasOf(String modelsTopic) {
        return (modelsTopic.endsWith(".models")
                        ? modelsTopic.substring(0, modelsTopic.length() - ".models".length())
                        : modelsTopic)
                + ".schemas";
    }

    /**
     * The topic of delayed labels ({@code Feedback}, keyed by event id like the events), named after the
     * events topic: {@code tributary.events} → {@code tributary.feedback}. It has as many partitions as the
     * events topic, so an event and its label meet in the same task.
     */
    public String feedback() {
        return feedbackOf(events);
    }

    /** The feedback topic that goes with an events topic. */
    public static String feedbackOf(String eventsTopic) {
        return (eventsTopic.endsWith(".events")
                        ? eventsTopic.substring(0, eventsTopic.length() - ".events".length())
                        : eventsTopic)
                + ".feedback";
    }

    /**
     * The topic of drift alerts ({@code DriftAlert}, keyed by model), named after the registry topic:
     * {@code tributary.models} → {@code tributary.alerts}.
     */
    public String alerts() {
        return alertsOf(models);
    }

    /** The alerts topic that goes with a registry topic. */
    public static String alertsOf(String modelsTopic) {
        return besideRegistry(modelsTopic, ".alerts");
    }

    /**
     * The compacted topic of shadow comparisons ({@code ShadowComparison}, keyed {@code MODEL/ALIAS}), named
     * after the registry topic: {@code tributary.models} → {@code tributary.comparisons}.
     */
    public String comparisons() {
        return besideRegistry(models, ".comparisons");
    }

    private static String besideRegistry(String modelsTopic, String suffix) {
        return (modelsTopic.endsWith(".models")
                        ? modelsTopic.substring(0, modelsTopic.length() - ".models".length())
                        : modelsTopic)
                + suffix;
    }

    /** How long drift alerts are kept. */
    public static final long ALERTS_RETENTION_MS = TimeUnit.DAYS.toMillis(30);

    /** Creates whichever of the topics is missing; {@code partitions} applies to events, feedback and predictions. */
    public void ensure(Admin admin, int partitions) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(events, partitions, (short) -1));
        wanted.add(new NewTopic(feedback(), partitions, (short) -1));
        wanted.add(new NewTopic(predictions, partitions, (short) -1));
        wanted.add(registryTopic(models));
        wanted.add(schemasTopic(schemas()));
        wanted.add(new NewTopic(deadLetters, 1, (short) -1)
                .configs(Map.of("retention.ms", String.valueOf(TimeUnit.DAYS.toMillis(30)))));
        wanted.add(new NewTopic(usage, 1, (short) -1)
                .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(USAGE_RETENTION_MS))));
        wanted.add(new NewTopic(alerts(), 1, (short) -1)
                .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(ALERTS_RETENTION_MS))));
        wanted.add(new NewTopic(comparisons(), 1, (short) -1).configs(Map.of("cleanup.policy", "compact")));
        create(admin, wanted);
    }

    /** The registry keeps every key's latest record forever: compaction, never deletion. */
    public static NewTopic registryTopic(String name) {
        return new NewTopic(name, 1, (short) -1)
                .configs(Map.of(
                        "cleanup.policy", "compact",
                        "max.message.bytes", String.valueOf(REGISTRY_MAX_MESSAGE_BYTES),
                        "min.compaction.lag.ms", "0"));
    }

    /** Writer schemas are kept forever, like the registry, and are small. */
    public static NewTopic schemasTopic(String name) {
        return new NewTopic(name, 1, (short) -1)
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
    }

    public static void create(Admin admin, List<NewTopic> wanted) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot create Tributary's topics: " + cause.getMessage(), cause);
        }
    }
}
