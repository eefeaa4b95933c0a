package dev.tributary.functions.spec;

import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One function of a {@code functions.yaml} (read by {@link FunctionSpecReader}): what triggers it,
 * what it does with the events of which models, where its predictions go, how it copes with
 * failure, and what it needs to run.
 *
 * @param models the models it serves; empty: every model
 * @param output the predictions topic (unused by a {@link Kind#TRAIN} function)
 * @param batchSize examples per published version; null: each model's own {@code publishEvery}
 * @param batchWindow most time between versions of a model; null: each model's own {@code publishIntervalMs}
 * @param timeout the time one event may take, retries included; a scored event over it is dead-lettered
 * @param retries further attempts after an unexpected exception, before the event is dead-lettered
 * @param backoff the wait before the first retry; it doubles for each next one, up to {@code maxBackoff}
 * @param memoryBytes the JVM heap the function wants (for -Xmx and the run-time check)
 * @param threads Kafka Streams {@code num.stream.threads}
 * @param applicationId its own Kafka Streams application (consumer group, internal topics)
 * @param outputFormat how predictions are written: Avro (the default) or JSON text
 */
public record FunctionSpec(
        String name,
        Kind kind,
        Trigger trigger,
        List<String> models,
        String output,
        Long batchSize,
        Duration batchWindow,
        Duration timeout,
        int retries,
        Duration backoff,
        Duration maxBackoff,
        long memoryBytes,
        int threads,
        String applicationId,
        OutputFormat outputFormat) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final long DEFAULT_MEMORY_BYTES = 512L << 20;
    /** The name of the one function {@code tributary run} runs without a file. */
    public static final String STANDARD_NAME = "functions";

    public FunctionSpec {
        models = List.copyOf(models);
    }

    /** What a function does with the events of its models. */
    public enum Kind {
        /** Predictions only. */
        SCORE,
        /** Versions from labelled events only; no predictions. */
        TRAIN,
        /** Both: every event is scored, every labelled one is also learned. */
        BOTH;

        public boolean scores() {
            return this != TRAIN;
        }

        public boolean trains() {
            return this != SCORE;
        }
    }

    /** How a function writes its predictions. */
    public enum OutputFormat {
        /** Avro single-object encoding of {@code Prediction}, with its schema on the schemas topic. */
        AVRO,
        /** One flat JSON object, for consumers without Avro (kcat, scripts). */
        JSON
    }

    /** The topics that trigger a function: named, or every topic matching a pattern (new ones included). */
    public record Trigger(List<String> topics, Pattern pattern) {
        public Trigger {
            topics = topics == null ? List.of() : List.copyOf(topics);
            if (topics.isEmpty() == (pattern == null)) {
                throw new IllegalArgumentException("a trigger has topics or a pattern, not both nor neither");
            }
        }

        public static Trigger topics(String... names) {
            return new Trigger(List.of(names), null);
        }

        public boolean matches(String topic) {
            return pattern == null
                    ? topics.contains(topic)
                    : pattern.matcher(topic).matches();
        }

        @Override
        public String toString() {
            return pattern == null ? String.join(",", topics) : "/" + pattern.pattern() + "/";
        }
    }

    /** What {@code tributary run} ran before function files: score and train every model's events of {@code topics}. */
    public static FunctionSpec standard(Topics topics, String applicationId) {
        return new FunctionSpec(
                STANDARD_NAME,
                Kind.BOTH,
                Trigger.topics(topics.events()),
                List.of(),
                topics.predictions(),
                null,
                null,
                DEFAULT_TIMEOUT,
                DEFAULT_RETRIES,
                DEFAULT_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                DEFAULT_MEMORY_BYTES,
                1,
                applicationId,
                OutputFormat.AVRO);
    }

    public static String defaultApplicationId(String name) {
        return "tributary-fn-" + name;
    }

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public FunctionSpec withKind(Kind k) {
        return with(k, memoryBytes, outputFormat);
    }

    public FunctionSpec withMemory(long bytes) {
        return with(kind, bytes, outputFormat);
    }

    public FunctionSpec withOutputFormat(OutputFormat format) {
        return with(kind, memoryBytes, format);
    }

    /** This function with what a run may change of it: its kind, its heap and how it writes its predictions. */
    private FunctionSpec with(Kind k, long bytes, OutputFormat format) {
        return new FunctionSpec(
                name,
                k,
                trigger,
                models,
                output,
                batchSize,
                batchWindow,
                timeout,
                retries,
                backoff,
                maxBackoff,
                bytes,
                threads,
                applicationId,
                format);
    }
}
