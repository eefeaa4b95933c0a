package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpecReader;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
    private static final String GROUP_INSTANCE_ID =
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    private static final String METADATA_MAX_AGE =
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG);

    private static FunctionsRunner.Config config(Path stateDir) {
        return FunctionsRunner.Config.local("127.0.0.1:9092", stateDir);
    }

    @Test
    void theConfigNamesTheApplicationItsStateAndItsThreads() {
        FunctionsRunner.Config config = config(Path.of("state")).withApplicationId("app");
        Properties props = StreamsProperties.of(config);
        assertThat(props)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "state")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)
                .containsEntry(
                        TrainFailureHandler.DEAD_LETTERS_TOPIC,
                        Topics.defaults().deadLetters());
    }

    @Test
    void theProducersLingerBrieflyUnlessTheClientPropertiesSayOtherwise() {
        String linger = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
        assertThat(StreamsProperties.of(config(Path.of("state")))).containsEntry(linger, 2);
        Properties own = new Properties();
        own.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        StreamsProperties.clientDefaults(own);
        assertThat(own).doesNotContainKey(linger);
        Properties prefixed = new Properties();
        prefixed.put(linger, 20);
        StreamsProperties.clientDefaults(prefixed);
        assertThat(prefixed).containsEntry(linger, 20);
    }

    @Test
    void aFetchWaitsBrieflyForRecordsThatAreNotThereUnlessTheClientPropertiesSayOtherwise() {
        String wait = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG;
        assertThat(StreamsProperties.of(config(Path.of("state"))))
                .containsEntry(StreamsConfig.mainConsumerPrefix(wait), StreamsProperties.IDLE_FETCH_WAIT_MS)
                .containsEntry(StreamsConfig.restoreConsumerPrefix(wait), StreamsProperties.IDLE_FETCH_WAIT_MS);
        for (String mine : new String[] {wait, StreamsConfig.consumerPrefix(wait)}) {
            assertThat(StreamsProperties.of(withClientProperty(mine, 500)))
                    .containsEntry(mine, 500)
                    .doesNotContainKey(StreamsConfig.mainConsumerPrefix(wait))
                    .doesNotContainKey(StreamsConfig.restoreConsumerPrefix(wait));
        }
    }

    @Test
    void streamThreadsPollBrieflyUnlessTheClientPropertiesSayOtherwise() {
        assertThat(new StreamsConfig(StreamsProperties.of(config(Path.of("state"))))
                        .getLong(StreamsConfig.POLL_MS_CONFIG))
                .isEqualTo(StreamsProperties.POLL_MS);
        assertThat(new StreamsConfig(StreamsProperties.of(withClientProperty(StreamsConfig.POLL_MS_CONFIG, 250)))
                        .getLong(StreamsConfig.POLL_MS_CONFIG))
                .isEqualTo(250L);
    }

    @Test
    void theProducersRetrySoonerUnlessTheClientPropertiesSayOtherwise() {
        String backoff = CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG;
        StreamsConfig streams = new StreamsConfig(StreamsProperties.of(config(Path.of("state"))));
        assertThat(streams.getProducerConfigs("client"))
                .containsEntry(backoff, StreamsProperties.PRODUCER_RETRY_BACKOFF_MS);
        assertThat(streams.getRestoreConsumerConfigs("client")).doesNotContainKey(backoff);
        for (String mine : new String[] {backoff, StreamsConfig.producerPrefix(backoff)}) {
            Properties props = StreamsProperties.of(withClientProperty(mine, 500));
            assertThat(new StreamsConfig(props).getProducerConfigs("client")).containsEntry(backoff, 500);
        }
    }

    @Test
    void ofTheConsumersOnlyTheMainOneRetriesSoonerUnlessTheClientPropertiesSayOtherwise() {
        String backoff = CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG;
        StreamsConfig streams = new StreamsConfig(StreamsProperties.of(config(Path.of("state"))));
        // the main consumer's configuration is also what the partition assignor's internal topic checks read
        assertThat(streams.getMainConsumerConfigs("group", "client", 0))
                .containsEntry(backoff, StreamsProperties.MAIN_CONSUMER_RETRY_BACKOFF_MS);
        assertThat(streams.getRestoreConsumerConfigs("client")).doesNotContainKey(backoff);
        assertThat(streams.getAdminConfigs("client")).doesNotContainKey(backoff);
        String mainBackoff = StreamsConfig.mainConsumerPrefix(backoff);
        for (String mine : new String[] {backoff, StreamsConfig.consumerPrefix(backoff), mainBackoff}) {
            Properties props = StreamsProperties.of(withClientProperty(mine, 500));
            assertThat(props).containsEntry(mine, 500);
            assertThat(new StreamsConfig(props).getMainConsumerConfigs("group", "client", 0))
                    .containsEntry(backoff, 500);
        }
    }

    private static FunctionsRunner.Config withClientProperty(String name, Object value) {
        return new FunctionsRunner.Config(
                Map.of("bootstrap.servers", "127.0.0.1:9092", name, value),
                "app",
                Path.of("state"),
                Topics.defaults(),
                4,
                StreamsConfig.AT_LEAST_ONCE,
                1,
                FunctionsTopology.Settings.defaults("instance"));
    }

    @Test
    void anInstanceRestartedOnItsStateDirectoryIsTheSameStaticMember() {
        String id = StreamsProperties.staticMemberId(Path.of("state", "a"));
        assertThat(StreamsProperties.staticMemberId(Path.of("state", ".", "a"))).isEqualTo(id);
        assertThat(StreamsProperties.staticMemberId(Path.of("state", "a").toAbsolutePath()))
                .isEqualTo(id);
        assertThat(StreamsProperties.staticMemberId(Path.of("state", "b"))).isNotEqualTo(id);
        assertThat(StreamsProperties.of(config(Path.of("state", "a")))).containsEntry(GROUP_INSTANCE_ID, id);
    }

    @Test
    void theClientPropertiesMayNameTheMemberThemselves() {
        FunctionsRunner.Config config = new FunctionsRunner.Config(
                Map.of("bootstrap.servers", "127.0.0.1:9092", GROUP_INSTANCE_ID, "mine"),
                "app",
                Path.of("state"),
                Topics.defaults(),
                4,
                StreamsConfig.AT_LEAST_ONCE,
                2,
                FunctionsTopology.Settings.defaults("instance"));
        assertThat(StreamsProperties.of(config)).containsEntry(GROUP_INSTANCE_ID, "mine");
    }

    @Test
    void aFunctionTriggeredByAPatternLooksForNewTopicsSooner() throws Exception {
        FunctionsRunner.Config named = config(Path.of("state"));
        FunctionsRunner.Config pattern = named.forFunction(FunctionSpecReader.read(
                        "functions:\n  - name: sensors\n    trigger: {pattern: \"sensor\\\\..*\"}\n", "f.yaml")
                .routings()
                .get(0));
        assertThat(StreamsProperties.of(named)).doesNotContainKey(METADATA_MAX_AGE);
        assertThat(StreamsProperties.of(pattern)).containsEntry(METADATA_MAX_AGE, StreamsProperties.PATTERN_REFRESH_MS);
    }
}
