package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.OffsetRange;
import dev.tributary.schema.OptimizerKind;
import dev.tributary.schema.OptimizerState;
import dev.tributary.schema.Scaler;
import dev.tributary.schema.serde.Vectors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionJsonTest {
    static ModelVersion version() {
        return ModelVersion.newBuilder()
                .setModel("churn")
                .setVersion(7)
                .setAlgorithm(Algorithm.LOGISTIC_REGRESSION)
                .setFeatureNames(List.of("age", "spend"))
                .setCategoricalFeatures(List.of("city"))
                .setHashBits(2)
                .setWeights(Vectors.toBytes(new double[] {0.5, -1.25, 0.0, 0.75, 0.0, 0.0}))
                .setBias(0.125)
                .setScaler(
                        new Scaler(Vectors.toBytes(new double[] {40, 100}), Vectors.toBytes(new double[] {400, 0}), 4L))
                .setOptimizerState(new OptimizerState(OptimizerKind.ADAGRAD, Map.of(), Map.of()))
                .setHyperParameters(Map.of("learningRate", 0.5))
                .setExamplesSeen(7000)
                .setMetrics(Map.of("accuracy", 0.91, "logloss", 0.25))
                .setParentVersion(6L)
                .setSourceOffsets(List.of(new OffsetRange("tributary.events", 1, 10L, 20L)))
                .setProducedBy("host-1/0_1")
                .setCreatedAt(0L)
                .build();
    }

    @Test
    void rendersWeightsByFeatureNameAndOnlyNonZeroBuckets() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.pretty(VersionJson.render(version())));
        assertThat(json.get("model").asText()).isEqualTo("churn");
        assertThat(json.get("version").asLong()).isEqualTo(7);
        assertThat(json.get("algorithm").asText()).isEqualTo("LOGISTIC_REGRESSION");
        JsonNode weights = json.get("weights");
        assertThat(weights.get("age").asDouble()).isEqualTo(0.5);
        assertThat(weights.get("spend").asDouble()).isEqualTo(-1.25);
        assertThat(weights.get("hash[1]").asDouble()).isEqualTo(0.75);
        assertThat(weights.size()).isEqualTo(3);
        assertThat(json.get("bias").asDouble()).isEqualTo(0.125);
    }

    @Test
    void rendersScalerMetricsAndLineage() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.compact(VersionJson.render(version())));
        JsonNode age = json.get("scaler").get("features").get("age");
        assertThat(age.get("mean").asDouble()).isEqualTo(40);
        assertThat(age.get("std").asDouble()).isEqualTo(10); // sqrt(400 / 4)
        assertThat(json.get("scaler").get("features").get("spend").get("std").asDouble())
                .isZero();
        assertThat(json.get("examplesSeen").asLong()).isEqualTo(7000);
        assertThat(json.get("metrics").get("accuracy").asDouble()).isEqualTo(0.91);
        assertThat(json.get("parentVersion").asLong()).isEqualTo(6);
        JsonNode range = json.get("sourceOffsets").get(0);
        assertThat(range.get("topic").asText()).isEqualTo("tributary.events");
        assertThat(range.get("partition").asInt()).isEqualTo(1);
        assertThat(range.get("fromOffset").asLong()).isEqualTo(10);
        assertThat(range.get("toOffset").asLong()).isEqualTo(20);
        assertThat(json.get("producedBy").asText()).isEqualTo("host-1/0_1");
        assertThat(json.get("createdAt").asText()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void versionZeroHasNoParentNoScalerAndNoMetric() throws Exception {
        ModelVersion v0 = ModelVersion.newBuilder(version())
                .setVersion(0)
                .setParentVersion(null)
                .setScaler(null)
                .setExamplesSeen(0)
                .setMetrics(Map.of())
                .build();
        JsonNode json = Json.MAPPER.readTree(Json.compact(VersionJson.render(v0)));
        assertThat(json.get("parentVersion").isNull()).isTrue();
        assertThat(json.get("scaler").isNull()).isTrue();
        assertThat(Metrics.headline(v0)).isEqualTo("-");
        assertThat(Metrics.headline(version())).isEqualTo("accuracy 0.9100");
    }

    @Test
    void rendersThePromotionGatesDecision() throws Exception {
        ModelVersion v = version();
        assertThat(Json.MAPPER
                        .readTree(Json.compact(VersionJson.render(v)))
                        .get("promotion")
                        .isNull())
                .isTrue();
        v.setPromotion(dev.tributary.schema.PromotionDecision.newBuilder()
                .setAccepted(false)
                .setReason("window accuracy 0.5 is worse")
                .setMetric("accuracy")
                .setWindowMetric(0.5)
                .setWindowCount(300)
                .setChampionVersion(4L)
                .setChampionWindowMetric(null)
                .build());
        JsonNode promotion =
                Json.MAPPER.readTree(Json.compact(VersionJson.render(v))).get("promotion");
        assertThat(promotion.get("accepted").asBoolean()).isFalse();
        assertThat(promotion.get("reason").asText()).isEqualTo("window accuracy 0.5 is worse");
        assertThat(promotion.get("windowMetric").asDouble()).isEqualTo(0.5);
        assertThat(promotion.get("windowCount").asLong()).isEqualTo(300);
        assertThat(promotion.get("championVersion").asLong()).isEqualTo(4);
        assertThat(promotion.get("championWindowMetric").isNull()).isTrue();
    }
}
