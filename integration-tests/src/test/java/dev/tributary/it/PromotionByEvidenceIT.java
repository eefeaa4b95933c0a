package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.cli.Tributary;
import dev.tributary.functions.FunctionMetrics;
import dev.tributary.functions.FunctionsRunner;
import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import dev.tributary.schema.PromotionPolicy;
import dev.tributary.schema.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion by evidence on a real broker: a model with AUTO promotion whose champion (version 1) learned
 * from 30 events and whose challenger (version 2) learned from 5,000 of the same truth. Labelled events
 * flow; the score function scores each with both, the comparison over the promotion window (500 events)
 * shows the challenger better by more than the margin, and champion moves to it with the decision and its
 * figures recorded on the version.
 */
class PromotionByEvidenceIT {
    static final String MODEL = "evidence";
    static final int WINDOW = 500;

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

    /** A version of the spec that learned {@code n} events of the stream. */
    private static ModelVersion trained(ModelSpec spec, SyntheticStream stream, int n, long number) {
        Learner learner = ModelVersions.learnerOf(spec, ModelSpecs.initialVersion(spec, 1L));
        Featurizer featurizer = Featurizer.of(ModelVersions.configOf(spec));
        FeatureVector x = featurizer.newVector();
        for (int i = 0; i < n; i++) {
            Event e = stream.next();
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            learner.learn(x, e.getLabel());
        }
        return ModelVersions.versionOf(
                MODEL, number, learner.snapshot(), number - 1, List.of(), "test", System.currentTimeMillis(), Map.of());
    }

    @Test
    void aBetterChallengerOnTheSameEventsBecomesChampion() throws Exception {
        SyntheticStream stream = new SyntheticStream(MODEL, Algorithm.LOGISTIC_REGRESSION, 5, 3, Long.MAX_VALUE);
        ModelSpec spec = ModelVersions.defaultSpec(MODEL, Algorithm.LOGISTIC_REGRESSION, stream.featureNames())
                .setPromotion(PromotionPolicy.AUTO)
                .setPromotionWindow(WINDOW)
                .setPromotionMargin(0.01)
                .setPublishEvery(1_000_000)
                .setPublishIntervalMs(3_600_000)
                .build();
        registry.createModel(spec);
        registry.publishVersion(trained(spec, stream, 30, 1));
        registry.setAlias(MODEL, "champion", 1);
        registry.publishVersion(trained(spec, stream, 5_000, 2));
        registry.setAlias(MODEL, "challenger", 2);
        assertThat(functions.awaitRunning(Duration.ofSeconds(60))).isTrue();

        try (EventPublisher out = new EventPublisher(client, Topics.defaults().events(), 0)) {
            for (int i = 0; i < 3 * WINDOW; i++) {
                out.send(stream.next());
            }
            out.flush();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (registry.aliases(MODEL).get("champion") != 2L) {
            assertThat(System.nanoTime()).as("champion to move to version 2").isLessThan(deadline);
            Thread.sleep(100);
        }
        PromotionDecision decision = registry.version(MODEL, 2).orElseThrow().getPromotion();
        assertThat(decision).isNotNull();
        assertThat(decision.getAccepted()).isTrue();
        assertThat(decision.getMetric()).isEqualTo("accuracy");
        assertThat(decision.getWindowCount()).isEqualTo(WINDOW);
        assertThat(decision.getChampionVersion()).isEqualTo(1);
        assertThat(decision.getWindowMetric()).isGreaterThan(decision.getChampionWindowMetric() + 0.01);
        assertThat(decision.getReason()).startsWith("beat champion version 1 on the same 500 labelled events");
        assertThat(functions.stats().versionsPromoted.sum()).isEqualTo(1);

        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (FunctionMetrics metrics = new FunctionMetrics(functions, meters)) {
            metrics.refresh();
            assertThat(meters.get("tributary.shadow.comparison")
                            .tags("model", MODEL, "alias", "challenger", "figure", "count")
                            .gauge()
                            .value())
                    .isEqualTo(WINDOW);
            assertThat(meters.get("tributary.shadow.comparison")
                            .tags("model", MODEL, "alias", "challenger", "figure", "difference")
                            .gauge()
                            .value())
                    .isGreaterThan(0.01);
        }

        StringWriter printed = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Tributary.execute(
                new String[] {"models", "compare", MODEL, "--bootstrap-servers", kafka.bootstrapServers()},
                new PrintWriter(printed, true),
                new PrintWriter(errors, true));
        assertThat(code).as(errors.toString()).isZero();
        assertThat(printed.toString()).contains("ALIAS").containsPattern("challenger\\s+2\\s+1\\s+accuracy");
    }
}
