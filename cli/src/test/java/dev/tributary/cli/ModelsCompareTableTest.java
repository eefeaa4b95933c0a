package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.schema.ShadowComparison;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsCompareTableTest {
    private static ShadowComparison comparison(String alias, long version, double shadow, double agreement) {
        return new ShadowComparison(
                "risk",
                alias,
                version,
                4L,
                "accuracy",
                1000L,
                5300L,
                shadow,
                0.85,
                910L,
                agreement,
                shadow - 0.85,
                shadow - 0.85 - 0.02,
                shadow - 0.85 + 0.02,
                1L);
    }

    @Test
    void theNewestComparisonOfEachAliasOneRowEach() {
        List<ShadowComparison> read = List.of(
                comparison("challenger", 5, 0.80, 0.9),
                comparison("blue", 2, 0.70, 0.8),
                comparison("challenger", 6, 0.90, 0.91));
        List<String> lines = ModelsCompareCommand.table(ModelsCompareCommand.latestByAlias(read))
                .lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ALIAS").contains("DIFFERENCE", "95% CI", "AGREEMENT");
        assertThat(lines.get(1))
                .startsWith("challenger")
                .contains(" 6 ", "0.9000", "+0.0500", "[+0.0300, +0.0700]")
                .contains("0.9100", "1,000");
        assertThat(lines.get(2)).startsWith("blue").contains("-0.1500");
    }

    @Test
    void jsonHasEveryFigureAndNullAgreementForRegression() throws Exception {
        ShadowComparison regression = new ShadowComparison(
                "prices", "challenger", 3L, 2L, "rmse", 500L, 500L, 1.2, 1.5, 0L, Double.NaN, -0.3, -0.5, -0.1, 1L);
        JsonNode json = Json.MAPPER.readTree(Json.compact(ModelsCompareCommand.json(List.of(regression))));
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("agreement").isNull()).isTrue();
        assertThat(json.get(0).get("difference").asDouble()).isEqualTo(-0.3);
        assertThat(json.get(0).get("servingVersion").asLong()).isEqualTo(2);
        assertThat(json.get(0).get("ciHigh").asDouble()).isEqualTo(-0.1);
    }
}
