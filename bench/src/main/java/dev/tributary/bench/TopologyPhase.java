package dev.tributary.bench;

import dev.tributary.functions.FunctionStats;
import dev.tributary.functions.FunctionsTopology;
import dev.tributary.functions.ModelCatalog;
import dev.tributary.model.Promotion;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.registry.RegistryFollower;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.Topology;

/**
 * One throughput phase of a named topology over the preloaded input: the pass-through or the floor
 * (no model), or the functions' topology scoring (with a shadow challenger for {@link BenchRun#SHADOW})
 * or training and scoring, each with its own topics and application id under the run's prefix. After
 * a train + score phase the freshness of its predictions goes to {@code freshness}.
 */
final class TopologyPhase {
    private final Map<String, Object> client;
    private final String prefix;
    private final BenchSettings settings;
    private final Consumer<String> progress;
    private final Consumer<Freshness.Result> freshness;

    TopologyPhase(
            Map<String, Object> client,
            String prefix,
            BenchSettings settings,
            Consumer<String> progress,
            Consumer<Freshness.Result> freshness) {
        this.client = client;
        this.prefix = prefix;
        this.settings = settings;
        this.progress = progress;
        this.freshness = freshness;
    }

    ThroughputPhase.Result run(
            Admin admin,
            String input,
            Map<TopicPartition, Long> inputEnd,
            String key,
            String topologyName,
            String guarantee,
            Path stateRoot,
            int timeoutSeconds)
            throws Exception {
        Topics topics = new Topics(
                input,
                prefix + "." + key + ".out",
                prefix + "." + key + ".models",
                prefix + "." + key + ".dead-letters",
                prefix + "." + key + ".usage");
        String applicationId = prefix + "-" + key;
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Topology topology;
            List<String> internal = List.of();
            RegistryFollower follower = null;
            if (topologyName.equals(BenchRun.PASS_THROUGH) || topologyName.equals(BenchRun.FLOOR)) {
                Topics.create(admin, List.of(new NewTopic(topics.predictions(), settings.partitions(), (short) -1)));
                topology = topologyName.equals(BenchRun.FLOOR)
                        ? PassThroughTopology.buildFloor(input, topics.predictions())
                        : PassThroughTopology.build(input, topics.predictions());
            } else {
                topics.ensure(admin, settings.partitions());
                ModelRegistry registry = new ModelRegistry(client, topics.models(), Duration.ofSeconds(30));
                resources.add(0, registry);
                registry.createModel(BenchRun.spec(settings.features()));
                if (topologyName.equals(BenchRun.SHADOW)) {
                    addChallenger(registry);
                }
                follower = new RegistryFollower(client, topics.models(), RegistryView.forServing()).start();
                resources.add(0, follower);
                if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                    throw new IllegalStateException("the registry " + topics.models() + " could not be read");
                }
                ModelCatalog catalog = new ModelCatalog(follower.view(), follower::awaitCaughtUp);
                boolean train = topologyName.equals(BenchRun.TRAIN_SCORE);
                topology = FunctionsTopology.build(
                        topics,
                        catalog,
                        FunctionsTopology.Settings.defaults("bench-" + key),
                        new FunctionStats(),
                        train);
                if (train) {
                    internal = List.of(FunctionsTopology.trainRepartitionTopic(applicationId));
                }
            }
            ThroughputPhase.Result result = ThroughputPhase.run(
                    admin,
                    topologyName.equals(BenchRun.PASS_THROUGH)
                            ? StreamsApps.properties(client, applicationId, stateRoot.resolve(key), guarantee, settings)
                            : StreamsApps.functionProperties(
                                    client, applicationId, stateRoot.resolve(key), guarantee, settings),
                    topology,
                    topologyName,
                    guarantee,
                    inputEnd,
                    internal,
                    timeoutSeconds,
                    progress);
            if (topologyName.equals(BenchRun.SHADOW)) {
                long[] counts = new long[2];
                Freshness.readPredictions(client, topics.predictions(), settings.partitions(), 10_000, p -> {
                    counts[0]++;
                    counts[1] += p.getShadows() == null ? 0 : 1;
                });
                progress.accept(String.format(
                        Locale.ROOT,
                        "%s, %s: %,d of the first %,d predictions carry the challenger's answer",
                        BenchRun.SHADOW,
                        guarantee,
                        counts[1],
                        counts[0]));
            }
            if (topologyName.equals(BenchRun.TRAIN_SCORE) && follower != null) {
                follower.awaitCaughtUp(Duration.ofSeconds(30));
                Freshness.Result f = Freshness.ofTopic(
                        client, topics.predictions(), settings.partitions(), follower.view(), guarantee, "catch-up");
                freshness.accept(f);
            }
            return result;
        } finally {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    /**
     * Version 1 (trained on 1,000 synthetic examples) as the challenger, version 0 as the champion: every
     * event is scored by both, the challenger's answer in the prediction's shadows.
     */
    private void addChallenger(ModelRegistry registry) {
        ModelSpec spec = BenchRun.spec(settings.features());
        registry.publishVersion(new TrainedVersions(spec, settings.features(), settings.seed() + 3).next(1, 0, 1000));
        registry.setAlias(BenchRun.MODEL, RegistryView.CHAMPION, 0);
        registry.setAlias(BenchRun.MODEL, Promotion.CHALLENGER, 1);
    }
}
