package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift detection in the topology. The label is 1 when x1 &gt; 0, flipped for 10 % of the events;
 * after {@value #BEFORE} events the relation turns around (label 1 when x1 &lt; 0). The registry view
 * follows the versions the train function publishes, as an instance's does, so the serving
 * version's error goes from about 10 % to about 90 %.
 */
class DriftTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final int BEFORE = 2_000;

    @TempDir
    Path stateDir;

    private final RegistryView view = new RegistryView();
    private final FunctionStats stats = new FunctionStats();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestOutputTopic<String, DriftAlert> alerts;
    private TestOutputTopic<String, RegistryRecord> versions;

    private void start(ModelSpec spec) {
        view.apply(RegistryKeys.spec(spec.getName()), new RegistryRecord(spec));
        view.apply(RegistryKeys.version(spec.getName(), 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        driver = StandardTopologyDriver.start(stateDir, view, stats);
        events = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(
                TOPICS.alerts(),
                new StringDeserializer(),
                TributarySerdes.driftAlert().deserializer());
        versions = driver.createOutputTopic(
                TOPICS.models(),
                new StringDeserializer(),
                TributarySerdes.registryRecord().deserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private static ModelSpec.Builder spec(DriftDetection drift, DriftReaction onDrift) {
        return ModelVersions.defaultSpec("churn", Algorithm.LOGISTIC_REGRESSION, List.of("x1"))
                .setPublishEvery(500)
                .setPublishIntervalMs(3_600_000)
                .setPromotionWindow(200)
                .setDrift(drift)
                .setOnDrift(onDrift);
    }

    /** Sends the events, applying each version published to the view before the next event. */
    private void sendEvents(int total) {
        Random random = new Random(17);
        for (int i = 0; i < total; i++) {
            double x1 = random.nextGaussian();
            boolean truth = (x1 > 0) ^ (i >= BEFORE);
            int label = truth ^ (random.nextDouble() < 0.1) ? 1 : 0;
            published.addAll(follow());
            String id = "e" + i;
            events.pipeInput(
                    id.getBytes(StandardCharsets.UTF_8),
                    ("{\"id\":\"" + id + "\",\"model\":\"churn\"," + "\"features\":{\"x1\":" + x1 + "},\"label\":"
                                    + label + "}")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    private final List<ModelVersion> published = new java.util.ArrayList<>();

    /** What an instance's registry follower does: applies each published record to the view. */
    private List<ModelVersion> follow() {
        List<ModelVersion> seen = new java.util.ArrayList<>();
        for (TestRecord<String, RegistryRecord> r : versions.readRecordsToList()) {
            view.apply(r.key(), r.value());
            if (r.value().getEntry() instanceof ModelVersion v) {
                seen.add(v);
            }
        }
        return seen;
    }

    @Test
    void aRiseOfTheServingVersionsErrorIsAnAlert() {
        start(spec(DriftDetection.ADWIN, DriftReaction.NONE).build());
        sendEvents(BEFORE + 1_000);
        List<TestRecord<String, DriftAlert>> raised = alerts.readRecordsToList();
        assertThat(raised).isNotEmpty();
        DriftAlert first = raised.get(0).value();
        assertThat(raised.get(0).key()).isEqualTo("churn");
        assertThat(first.getModel()).isEqualTo("churn");
        assertThat(first.getVersion()).isEqualTo(BEFORE / 500);
        assertThat(first.getDetector()).isEqualTo("adwin");
        assertThat(first.getMetric()).isEqualTo("error");
        assertThat(first.getPosition()).isBetween((long) BEFORE, BEFORE + 500L);
        assertThat(first.getBefore()).isBetween(0.05, 0.2);
        assertThat(first.getAfter()).isGreaterThan(first.getBefore() + 0.3);
        assertThat(first.getSource().getTopic()).isEqualTo(TOPICS.events());
        assertThat(first.getSource().getFromOffset()).isEqualTo(first.getPosition() - 1);
        assertThat(first.getProducedBy()).startsWith("test-instance/");
        assertThat(stats.driftAlerts.sum()).isEqualTo(raised.size());
        assertThat(stats.challengersStarted.sum()).isZero();
    }

    @Test
    void pageHinkleyAlertsToo() {
        start(spec(DriftDetection.PAGE_HINKLEY, DriftReaction.NONE).build());
        sendEvents(BEFORE + 1_000);
        DriftAlert first = alerts.readValue();
        assertThat(first.getDetector()).isEqualTo("page-hinkley");
        // Slower than ADWIN here: the sum went far below zero while the model improved (docs/learning.md).
        assertThat(first.getPosition()).isBetween((long) BEFORE, BEFORE + 1_000L);
    }

    @Test
    void aModelWithoutADetectorIsNotWatched() {
        start(spec(DriftDetection.NONE, DriftReaction.NONE).build());
        sendEvents(BEFORE + 1_000);
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(stats.driftAlerts.sum()).isZero();
    }

    @Test
    void aChallengerStartsOnTheAlertAndTakesOverOnceItBeatsTheModel() {
        start(spec(DriftDetection.ADWIN, DriftReaction.CHALLENGER).build());
        sendEvents(BEFORE + 1_000);
        DriftAlert alert = alerts.readValue();
        assertThat(stats.challengersStarted.sum()).isEqualTo(1);
        assertThat(stats.challengersTookOver.sum()).isEqualTo(1);
        published.addAll(follow());
        // Versions 1-4 every 500 examples; the challenger's takes the next number when it wins.
        ModelVersion takeover = published.stream()
                .filter(v -> v.getExamplesSeen() < BEFORE)
                .findFirst()
                .orElseThrow();
        assertThat(takeover.getParentVersion()).isEqualTo(takeover.getVersion() - 1);
        long learnedBefore = alert.getPosition() + takeover.getExamplesSeen();
        assertThat(takeover.getExamplesSeen()).isGreaterThanOrEqualTo(200).isLessThan(1_000);
        assertThat(learnedBefore).isLessThanOrEqualTo(BEFORE + 1_000);
        assertThat(takeover.getMetrics().get("window.accuracy")).isGreaterThan(0.8);
    }

    @Test
    void withoutTheReactionNoChallengerStarts() {
        start(spec(DriftDetection.ADWIN, DriftReaction.NONE).build());
        sendEvents(BEFORE + 1_000);
        assertThat(stats.challengersStarted.sum()).isZero();
        published.addAll(follow());
        assertThat(published).hasSize((BEFORE + 1_000) / 500).allMatch(v -> v.getExamplesSeen() % 500 == 0);
    }
}
