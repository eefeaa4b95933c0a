package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.cli.Tributary;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.producers.EventPublisher;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.Vectors;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade from the previous release, on a real broker. The fixture {@value #SNAPSHOT} is
 * what that release left in Kafka: its registry and writer schemas, the events it read, its
 * predictions, the changelogs and the train topic of its functions (application id {@value #APP}),
 * and the consumer group offsets, captured after its one instance was killed while events were
 * arriving. So the train topic holds labelled examples it had scored but not trained yet, in the
 * form that release wrote them, and the events topic holds events it had not read. {@value
 * #SHOWN} is what that release's {@code models show} printed for every version.
 *
 * <p>Loaded into a fresh broker, the current release started with the same application id must:
 * read every version as the previous release printed it, with its aliases; restore each trainer
 * from its changelog and go on from there, so that after new labelled events a model has seen each
 * labelled event ever published for it exactly once (a trainer started from zero, or one that
 * trained the same examples twice, gives another count) and its optimizer's accumulated state only
 * grew; number its next version after the last one of the previous release, as its child; and
 * score the new events with the version its champion alias names.
 *
 * <p>For the next release, regenerate the fixture from the release being replaced (see the
 * script's header): {@code git worktree add /tmp/prev-release COMMIT}, build it with {@code mvn -B
 * package -DskipTests -pl cli -am} there, build this checkout with {@code mvn -B package
 * -DskipTests -pl integration-tests -am}, then run {@code scripts/capture-upgrade-fixture.sh
 * /tmp/prev-release}, which writes both files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeIT {
    static final String SNAPSHOT = "/upgrade/previous-release.snapshot";
    static final String SHOWN = "/upgrade/previous-release-models.json";
    static final String APP = "tributary-functions";
    static final int NEW_EVENTS = 300;
    static final String OUTPUTS_GROUP = "rolling-upgrade-it";

    static final Topics TOPICS = Topics.defaults();
    static TestBroker kafka;
    static TopicSnapshot snapshot;
    static ModelRegistry registry;
    static FunctionsRunner functions;
    static Map<String, Object> client;
    /** Each model's labelled events in the snapshot's events topic, in order. */
    static final Map<String, List<Event>> labelled = new TreeMap<>();

    @BeforeAll
    static void load() throws Exception {
        kafka = TestBroker.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (InputStream in = RollingUpgradeIT.class.getResourceAsStream(SNAPSHOT)) {
            assertThat(in).as(SNAPSHOT).isNotNull();
            snapshot = TopicSnapshot.read(in);
        }
        snapshot.load(kafka.bootstrapServers());
        EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);
        for (List<TopicSnapshot.Rec> partition : snapshot.topic(TOPICS.events()).records()) {
            for (TopicSnapshot.Rec r : partition) {
                Event e = decoder.decode(r.value(), r.timestamp());
                if (e.getLabel() != null) {
                    labelled.computeIfAbsent(e.getModel(), m -> new ArrayList<>())
                            .add(e);
                }
            }
        }
        registry = new ModelRegistry(client, TOPICS.models());
    }

    @AfterAll
    static void stop() throws Exception {
        TestBroker.closeAll(functions, registry, kafka);
    }

    @Test
    @Order(1)
    void theSnapshotHoldsWhatTheUpgradeMustCarryOver() {
        assertThat(labelled).containsOnlyKeys("clicks", "diamonds");
        List<TopicSnapshot.Rec> untrained = snapshot.unread(APP, FunctionsTopology.trainRepartitionTopic(APP));
        assertThat(untrained)
                .as("labelled examples the previous release scored and did not train")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(new String(r.value(), 0, 2, java.nio.charset.StandardCharsets.US_ASCII))
                        .as("the previous release's featurized example layout")
                        .isEqualTo("TX"));
        assertThat(snapshot.unread(APP, TOPICS.events()))
                .as("events it did not read")
                .isNotEmpty();
        assertThat(snapshot.topic(APP + "-" + FunctionsTopology.TRAINER_STORE + "-changelog")
                        .recordCount())
                .isPositive();
    }

    @Test
    @Order(2)
    void everyVersionReadsAsThePreviousReleasePrintedIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int versions = 0;
        try (InputStream in = RollingUpgradeIT.class.getResourceAsStream(SHOWN)) {
            assertThat(in).as(SHOWN).isNotNull();
            Iterator<JsonNode> shown = json.readerFor(JsonNode.class).readValues(in);
            while (shown.hasNext()) {
                JsonNode before = shown.next();
                String ref = before.get("model").asText() + ":"
                        + before.get("version").asLong();
                JsonNode now = json.readTree(cli("models", "show", ref));
                assertContains(now, before, ref);
                versions++;
            }
        }
        assertThat(versions).isGreaterThan(10);
        assertThat(registry.models()).containsExactlyInAnyOrder("clicks", "diamonds");
        assertThat(registry.aliases("diamonds")).containsEntry("champion", 2L).containsEntry("stable", 1L);
        assertThat(registry.aliases("clicks")).containsKeys("champion", "challenger");
    }

    @Test
    @Order(3)
    void theTrainersGoOnFromTheirStateAndTheNewEventsAreScored(@TempDir Path stateDir) throws Exception {
        Map<String, ModelVersion> before = new LinkedHashMap<>();
        Map<String, Long> champions = new LinkedHashMap<>();
        for (String model : labelled.keySet()) {
            before.put(model, registry.latest(model).orElseThrow());
            champions.put(model, registry.aliases(model).get("champion"));
        }
        functions = FunctionsRunner.start(FunctionsRunner.Config.local(kafka.bootstrapServers(), stateDir));
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();

        skipLoadedOutputs();
        Map<String, Integer> expected = new TreeMap<>();
        List<String> newIds = new ArrayList<>();
        try (EventPublisher out = new EventPublisher(client, TOPICS.events(), 0)) {
            for (Map.Entry<String, List<Event>> model : labelled.entrySet()) {
                for (int i = 0; i < NEW_EVENTS; i++) {
                    Event e = Event.newBuilder(model.getValue().get(i))
                            .setId("after-upgrade-" + model.getKey() + "-" + i)
                            .setTimestamp(System.currentTimeMillis())
                            .build();
                    out.send(e);
                    newIds.add(e.getId().toString());
                }
                expected.put(model.getKey(), model.getValue().size() + NEW_EVENTS);
            }
            out.flush();
        }

        Map<String, Long> seen = Outputs.settledExamplesSeen(registry, expected, Duration.ofMinutes(3));
        assertThat(seen)
                .as("each labelled event ever published, trained once")
                .isEqualTo(
                        Map.of("clicks", (long) expected.get("clicks"), "diamonds", (long) expected.get("diamonds")));

        for (Map.Entry<String, ModelVersion> model : before.entrySet()) {
            ModelVersion old = model.getValue();
            ModelVersion next =
                    registry.version(model.getKey(), old.getVersion() + 1).orElseThrow();
            assertThat(next.getParentVersion()).isEqualTo(old.getVersion());
            ModelVersion latest = registry.latest(model.getKey()).orElseThrow();
            assertThat(old.getScaler().getCount()).isPositive();
            assertThat(latest.getScaler().getCount() - old.getScaler().getCount())
                    .as("%s scaler: the examples since the previous release's last version", model.getKey())
                    .isEqualTo(latest.getExamplesSeen() - old.getExamplesSeen());
            old.getOptimizerState().getVectors().forEach((name, accumulated) -> {
                double[] then = Vectors.fromBytes(accumulated);
                double[] now = Vectors.fromBytes(
                        latest.getOptimizerState().getVectors().get(name));
                for (int k = 0; k < then.length; k++) {
                    assertThat(now[k])
                            .as("%s optimizer %s[%d]", model.getKey(), name, k)
                            .isGreaterThanOrEqualTo(then[k]);
                }
            });
        }
        assertThat(registry.aliases("diamonds")).containsEntry("champion", 2L).containsEntry("stable", 1L);

        try (Outputs outputs = new Outputs(client, TOPICS, OUTPUTS_GROUP)) {
            outputs.readUntil(
                    () -> outputs.predictionsPerEvent().keySet().containsAll(newIds),
                    Duration.ofMinutes(2),
                    Duration.ZERO);
            Map<String, Prediction> byId = new TreeMap<>();
            outputs.predictions.forEach(p -> byId.put(p.getEventId().toString(), p));
            assertThat(byId).containsKeys(newIds.toArray(String[]::new));
            assertThat(byId.get("after-upgrade-diamonds-0").getModelVersion())
                    .as("the champion diamonds was pinned to")
                    .isEqualTo(champions.get("diamonds"));
            assertThat(outputs.deadLetters).isEmpty();
        }
    }

    /**
     * Starts {@value #OUTPUTS_GROUP} past the loaded predictions and dead letters: those are in the
     * previous release's record forms, which Tributary's own readers need not decode.
     */
    private static void skipLoadedOutputs() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        for (String topic : List.of(TOPICS.predictions(), TOPICS.deadLetters())) {
            List<List<TopicSnapshot.Rec>> partitions = snapshot.topic(topic).records();
            for (int p = 0; p < partitions.size(); p++) {
                ends.put(
                        new TopicPartition(topic, p),
                        new OffsetAndMetadata(partitions.get(p).size()));
            }
        }
        try (Admin admin = Admin.create(client)) {
            admin.alterConsumerGroupOffsets(OUTPUTS_GROUP, ends).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every field of {@code expected} is in {@code actual} with the same value (objects may have more fields). */
    private static void assertContains(JsonNode actual, JsonNode expected, String path) {
        if (expected.isObject()) {
            assertThat(actual.isObject()).as(path).isTrue();
            expected.properties().forEach(f -> {
                assertThat(actual.has(f.getKey())).as("%s.%s", path, f.getKey()).isTrue();
                assertContains(actual.get(f.getKey()), f.getValue(), path + "." + f.getKey());
            });
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
            }
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args),
                        java.util.stream.Stream.of("--bootstrap-servers", kafka.bootstrapServers()))
                .toArray(String[]::new);
        int code = Tributary.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("%s: %s", String.join(" ", args), err).isZero();
        return out.toString();
    }
}
