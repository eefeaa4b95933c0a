package dev.tributary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.registry.RegistryView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsJsonTest {
    private final RegistryView view = new RegistryView();
    private final ModelsJson json =
            new ModelsJson(view, TestRegistry.RENDERERS, model -> model.equals("fraud") ? 12.5 : 0);

    @Test
    void aRowPerModelWithItsServingVersionAliasesExamplesMetricAgeAndRate() {
        TestRegistry.addModel(view, "fraud", 5, Map.of());
        TestRegistry.addModel(view, "churn", 2, Map.of());
        TestRegistry.alias(view, "fraud", "champion", 3);
        TestRegistry.alias(view, "fraud", "challenger", 4);

        JsonNode rows = json.list(11_003).get("models");

        assertThat(rows).hasSize(2);
        JsonNode fraud = rows.get(1);
        assertThat(fraud.get("name").asText()).isEqualTo("fraud");
        assertThat(fraud.get("algorithm").asText()).isEqualTo("LOGISTIC_REGRESSION");
        assertThat(fraud.get("servingVersion").asLong()).isEqualTo(3);
        assertThat(fraud.get("servingAlias").asText()).isEqualTo("champion");
        assertThat(fraud.get("champion").asLong()).isEqualTo(3);
        assertThat(fraud.get("challenger").asLong()).isEqualTo(4);
        assertThat(fraud.get("examplesSeen").asLong()).isEqualTo(4_000);
        assertThat(fraud.get("metric").asText()).isEqualTo("accuracy");
        assertThat(fraud.get("metricValue").asDouble()).isEqualTo(0.5 + 0.4 * 4 / 5);
        assertThat(fraud.get("versionAgeSeconds").asDouble()).isEqualTo(10.0); // created at 1,003 ms
        assertThat(fraud.get("eventsPerSecond").asDouble()).isEqualTo(12.5);
        JsonNode churn = rows.get(0);
        assertThat(churn.get("servingAlias").asText()).isEqualTo("latest");
        assertThat(churn.get("champion").isNull()).isTrue();
    }

    @Test
    void theCurveHasAPointPerVersionWithAValueAndASeriesPerMetricFound() {
        TestRegistry.addModel(
                view, "fraud", 30, Map.of("delayed.accuracy", 0.7, "delayed.count", 9.0, "window.accuracy", 0.8));

        ObjectNode model = json.model("fraud", 0);

        JsonNode curve = model.get("curve");
        assertThat(curve.get("versions").asInt()).isEqualTo(30);
        // version 0 has no accuracy: nothing learned yet
        assertThat(curve.get("points")).hasSize(29);
        List<String> series = new ArrayList<>();
        curve.get("series").forEach(s -> series.add(s.asText()));
        assertThat(series).containsExactly("accuracy", "delayed.accuracy", "window.accuracy");
        assertThat(curve.get("points")
                        .get(0)
                        .get("metrics")
                        .get("delayed.accuracy")
                        .asDouble())
                .isEqualTo(0.7);
    }

    @Test
    void tenThousandVersionsAreDownSampledKeepingTheAliasedOnes() {
        TestRegistry.addModel(view, "fraud", 10_000, Map.of());
        TestRegistry.alias(view, "fraud", "champion", 4_567);

        ObjectNode model = json.model("fraud", 0);

        JsonNode points = model.get("curve").get("points");
        assertThat(points.size()).isBetween(ModelsJson.MAX_POINTS, ModelsJson.MAX_POINTS + 1);
        List<Long> versions = new ArrayList<>();
        points.forEach(p -> versions.add(p.get("version").asLong()));
        assertThat(versions).contains(1L, 4_567L, 9_999L).isSorted();
        assertThat(model.get("versions").size()).isEqualTo(ModelsJson.LISTED_VERSIONS + 1);
    }

    @Test
    void theServingVersionsWeightsByFeature() {
        TestRegistry.addModel(view, "fraud", 3, Map.of());

        JsonNode weights = json.model("fraud", 0).get("weights");

        assertThat(weights.get("version").asLong()).isEqualTo(2);
        assertThat(weights.get("features")).hasSize(3);
        assertThat(weights.get("features").get(0).get("feature").asText()).isEqualTo("x1");
        assertThat(weights.get("features").get(0).get("weight").asDouble()).isEqualTo(1.0);
    }

    @Test
    void versionsCarryLineageAndAliases() {
        TestRegistry.addModel(view, "fraud", 3, Map.of());
        TestRegistry.alias(view, "fraud", "champion", 1);

        JsonNode versions = json.model("fraud", 0).get("versions");

        assertThat(versions.get(0).get("version").asLong()).isEqualTo(2);
        assertThat(versions.get(0).get("parentVersion").asLong()).isEqualTo(1);
        assertThat(versions.get(1).get("aliases").get(0).asText()).isEqualTo("champion");
        assertThat(versions.get(2).get("parentVersion").isNull()).isTrue();
    }

    @Test
    void anUnknownModelIsNull() {
        assertThat(json.model("nope", 0)).isNull();
    }
}
