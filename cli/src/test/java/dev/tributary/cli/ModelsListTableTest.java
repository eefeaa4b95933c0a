package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsListTableTest {
    @Test
    void theExamplesAndTheMetricAreThoseOfTheServedVersion() {
        RegistryView view = new RegistryView();
        ModelVersion champion = VersionJsonTest.version();
        champion.setVersion(6);
        champion.setExamplesSeen(6000);
        champion.setMetrics(Map.of("accuracy", 0.8));
        ModelVersion latest = VersionJsonTest.version(); // version 7: 7000 examples, accuracy 0.91
        view.apply(RegistryKeys.version("churn", 6), new RegistryRecord(champion));
        view.apply(RegistryKeys.version("churn", 7), new RegistryRecord(latest));
        view.apply(
                RegistryKeys.alias("churn", RegistryView.CHAMPION),
                new RegistryRecord(new ModelAlias("churn", RegistryView.CHAMPION, 6L, 0L)));
        List<String> lines = ModelsListCommand.table(view, List.of("churn")).lines();
        assertThat(lines.get(0).split("\\s+"))
                .containsExactly("NAME", "ALGORITHM", "SERVING", "EXAMPLES", "METRIC", "LATEST");
        assertThat(lines.get(1))
                .contains("6 (champion)")
                .contains("6,000")
                .contains("0.8")
                .doesNotContain("7,000")
                .doesNotContain("0.91")
                .endsWith("7");
    }
}
