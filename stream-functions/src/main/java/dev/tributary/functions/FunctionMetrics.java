package dev.tributary.functions;

import static dev.tributary.functions.Meters.counter;
import static dev.tributary.functions.Meters.histogram;

import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.ShadowComparison;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The metrics of one functions instance, bound to a Micrometer registry (the CLI serves them as
 * Prometheus text on {@code /metrics}). Counters read {@link FunctionStats} when scraped; per-model
 * gauges (served version, its age, its progressive metrics) are refreshed by {@link #refresh()},
 * which the scraper calls first. Kafka Streams' own metrics (including the consumer's
 * {@code records-lag-max}, the lag) come through Micrometer's {@link KafkaStreamsMetrics}.
 *
 * <p>Names, in Prometheus form: {@code tributary_invocations_total} (events the score function
 * handled), {@code tributary_events_scored_total}, {@code tributary_errors_total} and {@code
 * tributary_dead_letters_total} (events it could not use), {@code tributary_score_duration_seconds}
 * (histogram, one event in 32) and {@code tributary_score_time_seconds_total} (every event),
 * {@code tributary_examples_learned_total}, {@code tributary_updates_rejected_total}, {@code
 * tributary_versions_published_total}, {@code tributary_versions_promoted_total}, {@code
 * tributary_versions_refused_total}, {@code tributary_versions_too_large_total}, {@code
 * tributary_model_version{model}}, {@code tributary_model_version_age_seconds{model}}, {@code
 * tributary_model_metric{model,metric}}, {@code tributary_usage_records_total}, {@code
 * tributary_streams_state{state}} and {@code kafka_*} from Kafka Streams (among them the lag,
 * {@code kafka_consumer_fetch_manager_records_lag{topic,partition}}). Every {@code tributary_*}
 * metric has the tags {@code instance} and {@code function}. The delayed-label metrics are {@link
 * FeedbackMetrics}'.
 */
public final class FunctionMetrics implements AutoCloseable {
    private final FunctionsRunner runner;
    private final KafkaStreamsMetrics streamsMetrics;
    private final MultiGauge modelVersion;
    private final MultiGauge modelAge;
    private final MultiGauge modelMetric;
    private final MultiGauge shadowComparison;
    private final Timer scoreTimer;

    public FunctionMetrics(FunctionsRunner runner, MeterRegistry registry) {
        this.runner = runner;
        FunctionStats stats = runner.stats();
        FunctionsTopology.Settings settings = runner.config().settings();
        Tags tags = Tags.of(
                "instance",
                settings.instanceId(),
                "function",
                settings.metering().function());
        counter(
                registry,
                "tributary.invocations",
                "Events the score function handled (scored or dead-lettered)",
                tags,
                stats,
                FunctionStats::invocations);
        counter(
                registry,
                "tributary.events.skipped",
                "Events left to the functions that serve their models",
                tags,
                stats,
                s -> s.skipped.sum());
        counter(
                registry,
                "tributary.events.scored",
                "Events scored into a prediction",
                tags,
                stats,
                s -> s.scored.sum());
        counter(
                registry,
                "tributary.errors",
                "Events the functions could not use (each one is dead-lettered)",
                tags,
                stats,
                s -> s.deadLetters.sum());
        counter(
                registry,
                "tributary.dead.letters",
                "Records written to the dead-letter topic",
                tags,
                stats,
                s -> s.deadLetters.sum() + s.feedbackDeadLetters.sum());
        counter(
                registry,
                "tributary.examples.learned",
                "Labelled events learned from",
                tags,
                stats,
                s -> s.learned.sum());
        counter(
                registry,
                "tributary.updates.rejected",
                "Training updates refused (non-finite or exploding)",
                tags,
                stats,
                s -> s.updatesRejected.sum());
        counter(
                registry,
                "tributary.versions.published",
                "Model versions published to the registry",
                tags,
                stats,
                s -> s.versionsPublished.sum());
        counter(
                registry,
                "tributary.versions.promoted",
                "Versions the promotion gate made champion",
                tags,
                stats,
                s -> s.versionsPromoted.sum());
        counter(
                registry,
                "tributary.versions.refused",
                "Versions the promotion gate refused",
                tags,
                stats,
                s -> s.versionsRefused.sum());
        counter(
                registry,
                "tributary.versions.too.large",
                "Versions not published: over the registry's size limit",
                tags,
                stats,
                s -> s.versionsTooLarge.sum());
        counter(
                registry,
                "tributary.drift.alerts",
                "Drift alerts raised (each one is a record on the alerts topic)",
                tags,
                stats,
                s -> s.driftAlerts.sum());
        counter(
                registry,
                "tributary.challengers.started",
                "Challengers started by a drift alert",
                tags,
                stats,
                s -> s.challengersStarted.sum());
        counter(
                registry,
                "tributary.challengers.took.over",
                "Challengers that beat their model on the same examples",
                tags,
                stats,
                s -> s.challengersTookOver.sum());
        counter(
                registry,
                "tributary.usage.records",
                "Usage records written to the usage topic",
                tags,
                stats,
                s -> s.usageRecords.sum());
        FunctionCounter.builder("tributary.score.time", stats.scoreNanos, a -> a.sum() / 1e9)
                .description("Time the score function spent, over every event")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry);
        this.scoreTimer = histogram(
                registry,
                "tributary.score.duration",
                "Time to score one event (a sample: one event in " + FunctionStats.SAMPLE_EVERY + ")",
                tags,
                Duration.ofNanos(1_000),
                Duration.ofSeconds(1));
        stats.scoreSampler(nanos -> scoreTimer.record(nanos, TimeUnit.NANOSECONDS));
        FeedbackMetrics.bind(registry, tags, stats);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("tributary.streams.state", runner, r -> r.state() == state ? 1 : 0)
                    .description("1 for the Kafka Streams state this instance is in")
                    .tags(tags.and("state", state.name()))
                    .register(registry);
        }
        this.modelVersion = MultiGauge.builder("tributary.model.version")
                .description("Version of each model this instance scores with")
                .tags(tags)
                .register(registry);
        this.modelAge = MultiGauge.builder("tributary.model.version.age")
                .baseUnit("seconds")
                .description("Age of the version each model is scored with")
                .tags(tags)
                .register(registry);
        this.modelMetric = MultiGauge.builder("tributary.model.metric")
                .description("Progressive (test-then-train) metrics of the served version")
                .tags(tags)
                .register(registry);
        this.shadowComparison = MultiGauge.builder("tributary.shadow.comparison")
                .description("A shadow version against the serving one on the same labelled events (figure: metric, "
                        + "serving.metric, agreement, difference, ci.low, ci.high, count)")
                .tags(tags)
                .register(registry);
        this.streamsMetrics = new KafkaStreamsMetrics(runner.kafkaStreams(), tags);
        streamsMetrics.bindTo(registry);
        refresh();
    }

    /** Brings the per-model gauges up to date with the served versions; call before each scrape. */
    public void refresh() {
        long now = System.currentTimeMillis();
        RegistryView view = runner.registryView();
        List<MultiGauge.Row<?>> versions = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        List<MultiGauge.Row<?>> metrics = new ArrayList<>();
        for (ServedVersions.Served served : runner.servedVersions().all().values()) {
            Tags model = Tags.of("model", served.model());
            versions.add(MultiGauge.Row.of(model, served.version()));
            ages.add(MultiGauge.Row.of(model, served.ageMs(now) / 1000.0));
            ModelVersion version =
                    view.version(served.model(), served.version()).orElse(null);
            if (version != null) {
                for (Map.Entry<String, Double> m : version.getMetrics().entrySet()) {
                    metrics.add(MultiGauge.Row.of(model.and("metric", m.getKey()), m.getValue()));
                }
            }
        }
        modelVersion.register(versions, true);
        modelAge.register(ages, true);
        modelMetric.register(metrics, true);
        List<MultiGauge.Row<?>> comparisons = new ArrayList<>();
        for (ShadowComparison c : runner.stats().comparisons.values()) {
            Tags pair = Tags.of("model", c.getModel(), "alias", c.getAlias());
            Map<String, Double> figures = new java.util.LinkedHashMap<>();
            figures.put("metric", c.getShadowMetric());
            figures.put("serving.metric", c.getServingMetric());
            figures.put("agreement", c.getAgreement());
            figures.put("difference", c.getDifference());
            figures.put("ci.low", c.getCiLow());
            figures.put("ci.high", c.getCiHigh());
            figures.put("count", (double) c.getCount());
            figures.forEach((figure, v) -> {
                if (Double.isFinite(v)) {
                    comparisons.add(MultiGauge.Row.of(pair.and("figure", figure), v));
                }
            });
        }
        shadowComparison.register(comparisons, true);
    }

    @Override
    public void close() {
        runner.stats().scoreSampler(null);
        runner.stats().labelDelaySampler(null);
        streamsMetrics.close();
    }
}
