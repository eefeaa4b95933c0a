package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cli.Tributary;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model watched by ADWIN with {@code onDrift CHALLENGER}, on a real broker: 10,000 events of one
 * truth, then 10,000 whose labels are flipped (an abrupt drift the serving version cannot follow by
 * its own training before the detector sees it, however fast versions are published). The serving version's error rises, an alert lands on
 * {@code tributary.alerts} (and in {@code models versions}), a challenger starts, beats the model on
 * the same examples and its learner is published as the next version.
 */
class DriftIT {
    static final int BEFORE = 10_000;
    static final String MODEL = "drifting";

    static TestBroker kafka;
    static FunctionsRunner functions;
    static ModelRegistry registry;
    static Map<String, Object> client;

    @BeforeAll
    static void start(@TempDir Path stateDir) {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        functions = FunctionsRunner.start(FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir));
        registry = new ModelRegistry(client, Topics.defaults().models());
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(registry, functions, kafka);
    }

    @Test
    void aDriftIsAnAlertAndItsChallengerTakesOver() throws Exception {
        SyntheticStream stream = new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, 5, 1, 2 * BEFORE);
        registry.createModel(ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, stream.featureNames())
                .setPublishEvery(500)
                .setPublishIntervalMs(1000)
                .setPromotionWindow(300)
                .setDrift(DriftDetection.ADWIN)
                .setOnDrift(DriftReaction.CHALLENGER)
                .build());
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();
        try (EventPublisher out = new EventPublisher(client, Topics.defaults().events(), 0)) {
            for (int i = 0; i < BEFORE; i++) {
                out.send(stream.next());
            }
            out.flush();
            long trained = awaitVersion(v -> v.getExamplesSeen() >= BEFORE, Duration.ofMinutes(2))
                    .getVersion();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (functions.servedVersions().of(MODEL).map(s -> s.version()).orElse(-1L) < trained) {
                assertThat(System.nanoTime())
                        .as("the instance to serve version %d", trained)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            for (int i = 0; i < BEFORE; i++) {
                Event flipped = stream.next();
                flipped.setLabel(1 - flipped.getLabel());
                out.send(flipped);
            }
            out.flush();
        }

        DriftAlert alert = awaitAlert(Duration.ofMinutes(2));
        assertThat(alert.getModel()).isEqualTo(MODEL);
        assertThat(alert.getDetector()).isEqualTo("adwin");
        assertThat(alert.getMetric()).isEqualTo("error");
        assertThat(alert.getAfter()).isGreaterThan(alert.getBefore());
        assertThat(alert.getPosition()).isGreaterThan(BEFORE);
        assertThat(alert.getSource().getTopic()).isEqualTo(Topics.defaults().events());
        assertThat(functions.stats().driftAlerts.sum()).isPositive();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (dev.tributary.functions.FunctionMetrics metrics =
                new dev.tributary.functions.FunctionMetrics(functions, meters)) {
            assertThat(meters.get("tributary.drift.alerts").functionCounter().count())
                    .isEqualTo(functions.stats().driftAlerts.sum());
        }

        // The challenger's learner started after the alert: its version has seen fewer examples than the change.
        ModelVersion takeover =
                awaitVersion(v -> v.getExamplesSeen() < BEFORE && v.getVersion() > 1, Duration.ofMinutes(2));
        assertThat(takeover.getParentVersion()).isEqualTo(takeover.getVersion() - 1);
        assertThat(functions.stats().challengersTookOver.sum()).isEqualTo(1);

        StringWriter printed = new StringWriter();
        int code = Tributary.execute(
                new String[] {"models", "versions", MODEL, "--bootstrap-servers", kafka.bootstrapServers()},
                new PrintWriter(printed, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).isZero();
        assertThat(printed.toString())
                .contains("DRIFT")
                .contains("Version " + alert.getVersion() + " drifted at ")
                .contains("adwin after ");
    }

    private static ModelVersion awaitVersion(java.util.function.Predicate<ModelVersion> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ModelVersion v : registry.versions(MODEL).values()) {
                if (wanted.test(v)) {
                    return v;
                }
            }
            assertThat(System.nanoTime()).as("a version of %s as wanted", MODEL).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static DriftAlert awaitAlert(Duration timeout) {
        Map<String, Object> props = new HashMap<>(client);
        props.put("isolation.level", "read_committed");
        props.put("group.id", "drift-it");
        props.put("auto.offset.reset", "earliest");
        AvroCodec<DriftAlert> codec = AvroCodec.of(DriftAlert.class);
        List<DriftAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.defaults().alerts()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (alerts.isEmpty()) {
                assertThat(System.nanoTime()).as("a drift alert").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    alerts.add(codec.decode(r.value()));
                }
            }
        }
        return alerts.get(0);
    }
}
