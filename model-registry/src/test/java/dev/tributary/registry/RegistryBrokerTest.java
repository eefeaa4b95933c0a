package dev.tributary.registry;

import static dev.tributary.registry.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.Vectors;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The registry client against a real (embedded KRaft) broker. */
class RegistryBrokerTest extends BrokerTestBase {
    @Test
    void createsAModelThatAFreshClientReadsBack(TestInfo info) throws Exception {
        String topic = topic(info);
        ModelSpec spec = Fixtures.spec("fraud")
                .setCategoricalFeatures(List.of("country"))
                .setHashBits(3)
                .build();
        try (ModelRegistry registry = new ModelRegistry(client, topic)) {
            ModelVersion v0 = registry.createModel(spec);
            assertThat(v0.getVersion()).isZero();
        }
        try (ModelRegistry fresh = new ModelRegistry(client, topic)) {
            assertThat(fresh.models()).containsExactly("fraud");
            assertThat(fresh.spec("fraud")).contains(spec);
            assertThat(fresh.versions("fraud")).containsOnlyKeys(0L);
            ModelVersion v0 = fresh.versions("fraud").get(0L);
            assertThat(Vectors.fromBytes(v0.getWeights())).hasSize(2 + 8).containsOnly(0.0);
            assertThat(v0.getProducedBy()).isEqualTo("registry");
            assertThat(v0.getOptimizerState().getKind()).isEqualTo(OptimizerKind.ADAGRAD);
            assertThat(fresh.latest("fraud")).contains(v0);
            assertThat(fresh.resolve("fraud")).contains(v0);
        }
        try (Admin admin = Admin.create(client)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("max.message.bytes").value())
                    .isEqualTo(String.valueOf(Topics.REGISTRY_MAX_MESSAGE_BYTES));
        }
    }

    @Test
    void publishesVersionsAndAliasesAndResolvesReferences(TestInfo info) {
        try (ModelRegistry registry = new ModelRegistry(client, topic(info))) {
            ModelSpec spec = Fixtures.spec("m").build();
            registry.createModel(spec);
            for (long v = 1; v <= 3; v++) {
                registry.publishVersion(version(spec, v));
            }
            assertThat(registry.versions("m").keySet()).containsExactly(0L, 1L, 2L, 3L);
            assertThat(registry.latest("m")).map(ModelVersion::getVersion).contains(3L);
            assertThat(registry.resolve("m")).map(ModelVersion::getVersion).contains(3L);

            registry.setAlias("m", "champion", 2);
            assertThat(registry.aliases("m")).containsExactlyEntriesOf(Map.of("champion", 2L));
            assertThat(registry.resolve("m"))
                    .map(ModelVersion::getVersion)
                    .as("champion wins over latest")
                    .contains(2L);
            assertThat(registry.resolve("m@champion"))
                    .map(ModelVersion::getVersion)
                    .contains(2L);
            assertThat(registry.resolve("m:1")).map(ModelVersion::getVersion).contains(1L);
            assertThat(Vectors.fromBytes(registry.resolve("m:1").orElseThrow().getWeights()))
                    .containsOnly(1.0);
            assertThat(registry.resolve("m:9")).isEmpty();
            assertThat(registry.resolve("m@nope")).isEmpty();
            assertThat(registry.resolve("other")).isEmpty();

            registry.setAlias("m", "champion", 1); // rollback
            assertThat(registry.serving("m")).map(ModelVersion::getVersion).contains(1L);
            assertThat(registry.removeAlias("m", "champion")).isTrue();
            assertThat(registry.removeAlias("m", "champion")).isFalse();
            assertThat(registry.resolve("m")).map(ModelVersion::getVersion).contains(3L);

            assertThatThrownBy(() -> registry.publishVersion(version(spec, 2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "version 2 of model 'm' already exists and versions are immutable; publish 4 instead");
            assertThatThrownBy(() -> registry.setAlias("m", "champion", 7))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model 'm' has no version 7 (it has versions [0, 1, 2, 3])");
            assertThatThrownBy(() -> registry.publishVersion(
                            version(Fixtures.spec("ghost").build(), 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown model 'ghost'");
            ModelVersion wrongShape = ModelVersion.newBuilder(version(spec, 4))
                    .setWeights(Vectors.toBytes(new double[5]))
                    .build();
            assertThatThrownBy(() -> registry.publishVersion(wrongShape))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("need 2");

            registry.setAlias("m", "champion", 0);
            assertThat(registry.prune("m", 2))
                    .as("1 goes; 0 is the champion, 2 and 3 are the newest")
                    .isEqualTo(1);
            assertThat(registry.versions("m").keySet()).containsExactly(0L, 2L, 3L);

            assertThat(registry.retire("m")).isEqualTo(1 + 1 + 3);
            assertThat(registry.models()).isEmpty();
            registry.createModel(spec);
            assertThat(registry.versions("m").keySet())
                    .as("a retired name can be reused")
                    .containsExactly(0L);
        }
    }

    @Test
    void rollsChampionBackAndRetiresSingleVersions(TestInfo info) {
        try (ModelRegistry registry = new ModelRegistry(client, topic(info))) {
            ModelSpec spec = Fixtures.spec("r").build();
            registry.createModel(spec);
            for (long v = 1; v <= 5; v++) {
                ModelVersion version = version(spec, v);
                if (v == 4) { // refused by an AUTO gate: rollback passes over it
                    version.setPromotion(dev.tributary.schema.PromotionDecision.newBuilder()
                            .setAccepted(false)
                            .setReason("worse")
                            .setWindowMetric(0.1)
                            .build());
                }
                registry.publishVersion(version);
            }
            ModelRegistry.Rollback fromLatest = registry.rollback("r", null);
            assertThat(fromLatest.from())
                    .as("no champion yet: the latest, 5, was served")
                    .isNull();
            assertThat(fromLatest.to()).isEqualTo(3L);
            assertThat(fromLatest.skipped()).containsExactly(4L);
            assertThat(registry.serving("r")).map(ModelVersion::getVersion).contains(3L);
            assertThat(registry.rollback("r", null).to()).isEqualTo(2L);
            assertThat(registry.rollback("r", null).to()).isEqualTo(1L);
            assertThatThrownBy(() -> registry.rollback("r", null))
                    .as("version 0 only when named")
                    .hasMessageContaining("is version 0, the all-zero weights")
                    .hasMessageContaining("--to 0");
            assertThat(registry.serving("r")).map(ModelVersion::getVersion).contains(1L);
            assertThat(registry.rollback("r", 0L).to()).isZero();
            assertThat(registry.rollback("r", 5L))
                    .extracting(ModelRegistry.Rollback::from, ModelRegistry.Rollback::to)
                    .containsExactly(0L, 5L);
            assertThatThrownBy(() -> registry.rollback("r", 9L)).hasMessageContaining("model 'r' has no version 9");

            registry.setAlias("r", "challenger", 5);
            assertThatThrownBy(() -> registry.retireVersion("r", 5, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version 5 of model 'r' is the champion")
                    .hasMessageContaining("--force");
            assertThat(registry.retireVersion("r", 2, false)).isEmpty();
            assertThat(registry.versions("r").keySet()).containsExactly(0L, 1L, 3L, 4L, 5L);
            assertThat(registry.retireVersion("r", 5, true)).containsExactly("challenger", "champion");
            assertThat(registry.aliases("r")).isEmpty();
            assertThat(registry.serving("r"))
                    .map(ModelVersion::getVersion)
                    .as("the latest again")
                    .contains(4L);
            assertThatThrownBy(() -> registry.retireVersion("r", 5, true)).hasMessageContaining("has no version 5");

            registry.setAlias("r", "champion", 0);
            assertThatThrownBy(() -> registry.rollback("r", null))
                    .hasMessageContaining("no version before 0 to roll back to");
            for (long v : List.of(1L, 3L, 4L)) {
                registry.retireVersion("r", v, false);
            }
            assertThatThrownBy(() -> registry.retireVersion("r", 0, true))
                    .hasMessageContaining("version 0 is the only version of model 'r'");
        }
    }

    @Test
    void aModelWithAutoPromotionStartsWithChampionOnVersionZero(TestInfo info) {
        try (ModelRegistry registry = new ModelRegistry(client, topic(info))) {
            registry.createModel(Fixtures.spec("auto")
                    .setPromotion(dev.tributary.schema.PromotionPolicy.AUTO)
                    .build());
            registry.createModel(Fixtures.spec("manual").build());
            assertThat(registry.aliases("auto")).containsExactlyEntriesOf(Map.of("champion", 0L));
            assertThat(registry.aliases("manual")).isEmpty();
            assertThat(registry.spec("auto").orElseThrow().getPromotionWindow()).isEqualTo(1000L);
        }
    }

    @Test
    void refusesADuplicateModel(TestInfo info) {
        String topic = topic(info);
        try (ModelRegistry registry = new ModelRegistry(client, topic)) {
            registry.createModel(Fixtures.spec("dup").build());
        }
        try (ModelRegistry other = new ModelRegistry(client, topic)) {
            assertThatThrownBy(() -> other.createModel(
                            Fixtures.spec("dup").setLearningRate(0.5).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("model 'dup' already exists; pick another name or retire it");
            assertThat(other.spec("dup").orElseThrow().getLearningRate()).isEqualTo(0.1);
            assertThat(other.versions("dup")).hasSize(1);
        }
    }

    @Test
    void refusesOversizedModelsAndVersionsWithAClearMessage(TestInfo info) {
        try (ModelRegistry registry = new ModelRegistry(client, topic(info))) {
            ModelSpec huge = Fixtures.spec("huge")
                    .setCategoricalFeatures(List.of("c"))
                    .setHashBits(22)
                    .setOptimizer(OptimizerKind.SGD)
                    .build();
            assertThatThrownBy(() -> registry.createModel(huge))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("over the registry's limit of 33,554,432 bytes per record")
                    .hasMessageContaining("lower hashBits from 22 to 21 or less");
            assertThat(registry.models()).as("nothing published").isEmpty();

            // 2^20 buckets fit; a version carrying three more per-weight vectors does not.
            ModelSpec big = Fixtures.spec("big")
                    .setCategoricalFeatures(List.of("c"))
                    .setHashBits(20)
                    .build();
            ModelVersion v0 = registry.createModel(big);
            int n = Vectors.fromBytes(v0.getWeights()).length;
            ModelVersion v1 = ModelVersion.newBuilder(v0)
                    .setVersion(1)
                    .setOptimizerState(dev.tributary.schema.OptimizerState.newBuilder()
                            .setKind(OptimizerKind.FTRL)
                            .setVectors(Map.of(
                                    "z",
                                    Vectors.toBytes(new double[n]),
                                    "n",
                                    Vectors.toBytes(new double[n]),
                                    "g",
                                    Vectors.toBytes(new double[n])))
                            .setScalars(Map.of())
                            .build())
                    .build();
            assertThatThrownBy(() -> registry.publishVersion(v1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("version 1 of model 'big' is ")
                    .hasMessageContaining("bytes encoded, over the registry's limit of 33,554,432 bytes per record")
                    .hasMessageContaining("lower the model's hashBits");
            assertThat(registry.versions("big").keySet()).containsExactly(0L);
        }
    }

    @Test
    void failsWithinTheTimeoutWhenTheBrokerCannotBeReached() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String nowhere = "127.0.0.1:" + port;
        long t0 = System.nanoTime();
        try (ModelRegistry registry =
                new ModelRegistry(Map.of("bootstrap.servers", nowhere), "tributary.models", Duration.ofSeconds(2))) {
            assertThatThrownBy(registry::models)
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("the Kafka broker at " + nowhere)
                    .hasMessageContaining("within 2 s");
            assertThatThrownBy(() -> registry.createModel(Fixtures.spec("m").build()))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("the Kafka broker at " + nowhere + " could not be reached within 2 s");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("bounded, not a hang")
                .isLessThan(Duration.ofSeconds(20));
    }
}
