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
        return builder(STANDARD_NAME, topics)
                .trigger(Trigger.topics(topics.events()))
                .applicationId(applicationId)
                .build();
    }

    /**
     * A function named {@code name} with every default of a function file: score and train every
     * model's events of {@code topics}, its own application id.
     */
    public static Builder builder(String name, Topics topics) {
        return new Builder(name, topics);
    }

    public static String defaultApplicationId(String name) {
        return "tributary-fn-" + name;
    }

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public FunctionSpec withKind(Kind k) {
        return toBuilder().kind(k).build();
    }

    public FunctionSpec withMemory(long bytes) {
        return toBuilder().memoryBytes(bytes).build();
    }

    public FunctionSpec withOutputFormat(OutputFormat format) {
        return toBuilder().outputFormat(format).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A function spec key by key; what is not set keeps its default (or the value of the spec it copies). */
    public static final class Builder {
        private final String name;
        private Kind kind = Kind.BOTH;
        private Trigger trigger;
        private List<String> models = List.of();
        private String output;
        private Long batchSize;
        private Duration batchWindow;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private long memoryBytes = DEFAULT_MEMORY_BYTES;
        private int threads = 1;
        private String applicationId;
        private OutputFormat outputFormat = OutputFormat.AVRO;

        private Builder(String name, Topics topics) {
            this.name = name;
            this.trigger = Trigger.topics(topics.events());
            this.output = topics.predictions();
            this.applicationId = defaultApplicationId(name);
        }

        private Builder(FunctionSpec f) {
            name = f.name;
            kind = f.kind;
            trigger = f.trigger;
            models = f.models;
            output = f.output;
            batchSize = f.batchSize;
            batchWindow = f.batchWindow;
            timeout = f.timeout;
            retries = f.retries;
            backoff = f.backoff;
            maxBackoff = f.maxBackoff;
            memoryBytes = f.memoryBytes;
            threads = f.threads;
            applicationId = f.applicationId;
            outputFormat = f.outputFormat;
        }

        public Builder kind(Kind k) {
            kind = k;
            return this;
        }

        public Builder trigger(Trigger t) {
            trigger = t;
            return this;
        }

        public Builder models(List<String> names) {
            models = names;
            return this;
        }

        public Builder output(String topic) {
            output = topic;
            return this;
        }

        /** @param examples null: each model's own {@code publishEvery} */
        public Builder batchSize(Long examples) {
            batchSize = examples;
            return this;
        }

        /** @param window null: each model's own {@code publishIntervalMs} */
        public Builder batchWindow(Duration window) {
            batchWindow = window;
            return this;
        }

        public Builder timeout(Duration d) {
            timeout = d;
            return this;
        }

        public Builder retries(int attempts) {
            retries = attempts;
            return this;
        }

        public Builder backoff(Duration first, Duration max) {
            backoff = first;
            maxBackoff = max;
            return this;
        }

        public Builder memoryBytes(long bytes) {
            memoryBytes = bytes;
            return this;
        }

        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public Builder applicationId(String id) {
            applicationId = id;
            return this;
        }

        public Builder outputFormat(OutputFormat format) {
            outputFormat = format;
            return this;
        }

        public FunctionSpec build() {
            return new FunctionSpec(
                    name,
                    kind,
                    trigger,
                    models,
                    output,
                    batchSize,
                    batchWindow,
                    timeout,
                    retries,
                    backoff,
                    maxBackoff,
                    memoryBytes,
                    threads,
                    applicationId,
                    outputFormat);
        }
    }
}
