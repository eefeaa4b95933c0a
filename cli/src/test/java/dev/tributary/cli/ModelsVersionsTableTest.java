package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsVersionsTableTest {
  @Test
  void newestFirstWithAliasesMarkedAndTheGatesDecision() {
    ModelVersion v6 = VersionJsonTest.version();
    v6.setVersion(6);
    v6.setMetrics(Map.of("accuracy", 0.9, "window.accuracy", 0.95, "window.count", 500.0));
    v6.setPromotion(PromotionDecision.newBuilder().setAccepted(true).setReason("ok").setMetric("accuracy")
        .setWindowMetric(0.95).setWindowCount(500).build());
    ModelVersion v7 = VersionJsonTest.version();
    v7.setPromotion(PromotionDecision.newBuilder().setAccepted(false).setReason("worse").setMetric("accuracy")
        .setWindowMetric(0.5).setWindowCount(500).build());
    java.util.TreeMap<Long, ModelVersion> versions = new java.util.TreeMap<>(Map.of(6L, v6, 7L, v7));
    List<String> lines = ModelsVersionsCommand.table(versions, Map.of("champion", 6L, "challenger", 7L, "blue", 6L), 6L,
        null).lines();
    assertThat(lines.get(0)).startsWith("VERSION  ALIASES").contains("PARENT").contains("WINDOW").contains("GATE")
        .contains("PRODUCED BY");
    assertThat(lines.get(1)).startsWith("      7  challenger").contains("refused").contains("host-1/0_1");
    assertThat(lines.get(2)).startsWith("      6  blue,champion").contains("accuracy=0.9000 ")
        .contains("accuracy=0.9500/500").contains("accepted").doesNotContain("window.");
    assertThat(ModelsVersionsCommand.aliasesOf(Map.of(), 7, 7)).isEqualTo("(serving)");
  }

  @Test
  void marksTheVersionsADetectorFiredOn() {
    ModelVersion v6 = VersionJsonTest.version();
    v6.setVersion(6);
    ModelVersion v7 = VersionJsonTest.version();
    java.util.TreeMap<Long, ModelVersion> versions = new java.util.TreeMap<>(Map.of(6L, v6, 7L, v7));
    List<DriftAlert> alerts = List.of(alert(6, "adwin"), alert(6, "adwin"), alert(7, "page-hinkley"));
    List<String> lines = ModelsVersionsCommand.table(versions, Map.of(), 7L, null, alerts).lines();
    assertThat(lines.get(0)).endsWith("DRIFT");
    assertThat(lines.get(1)).startsWith("      7").endsWith("page-hinkley");
    assertThat(lines.get(2)).startsWith("      6").endsWith("adwin x2");
    assertThat(ModelsVersionsCommand.table(versions, Map.of(), 7L, null).lines().get(1)).doesNotContain("adwin");
    assertThat(DriftAlerts.describe(alerts.get(0)))
        .isEqualTo("adwin after 2,041 labelled examples: error 0.1000 -> 0.8700");
  }

  private static DriftAlert alert(long version, String detector) {
    return DriftAlert.newBuilder().setModel("m").setVersion(version).setDetector(detector).setMetric("error")
        .setPosition(2041).setBefore(0.1).setAfter(0.87).setDetectedAt(1).build();
  }
}
