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
        v6.setPromotion(PromotionDecision.newBuilder()
                .setAccepted(true)
                .setReason("ok")
                .setMetric("accuracy")
                .setWindowMetric(0.95)
                .setWindowCount(500)
                .build());
        ModelVersion v7 = VersionJsonTest.version();
        v7.setPromotion(PromotionDecision.newBuilder()
                .setAccepted(false)
                .setReason("worse")
                .setMetric("accuracy")
                .setWindowMetric(0.5)
                .setWindowCount(500)
                .build());
        java.util.TreeMap<Long, ModelVersion> versions = new java.util.TreeMap<>(Map.of(6L, v6, 7L, v7));
        List<String> lines = ModelsVersionsCommand.table(
                        versions, Map.of("champion", 6L, "challenger", 7L, "blue", 6L), 6L, null)
                .lines();
        assertThat(lines.get(0))
                .startsWith("VERSION  ALIASES")
                .contains("PARENT")
                .contains("WINDOW")
                .contains("GATE")
                .contains("PRODUCED BY");
        assertThat(lines.get(1))
                .startsWith("      7  challenger")
                .contains("refused")
                .contains("host-1/0_1");
        assertThat(lines.get(2))
                .startsWith("      6  blue,champion")
                .contains("accuracy=0.9000 ")
                .contains("accuracy=0.9500/500")
                .contains("accepted")
                .doesNotContain("window.");
        assertThat(ModelsVersionsCommand.aliasesOf(Map.of(), 7, 7)).isEqualTo("(serving)");
        assertThat(lines.get(0)).doesNotContain("DELAYED"); // no label of these came later
    }

    @Test
    void delayedFiguresHaveTheirOwnColumnWhenLabelsCameLater() {
        ModelVersion v3 = VersionJsonTest.version();
        v3.setVersion(3);
        v3.setMetrics(
                Map.of("accuracy", 0.9, "delayed.accuracy", 0.8, "delayed.logloss", 0.41, "delayed.count", 1234.0));
        ModelVersion v2 = VersionJsonTest.version();
        v2.setVersion(2);
        v2.setMetrics(Map.of("accuracy", 0.7));
        List<String> lines = ModelsVersionsCommand.table(
                        new java.util.TreeMap<>(Map.of(2L, v2, 3L, v3)), Map.of(), 3L, null)
                .lines();
        assertThat(lines.get(0)).contains("METRICS").contains("DELAYED").contains("WINDOW");
        assertThat(lines.get(1))
                .contains("accuracy=0.9000 ")
                .contains("accuracy=0.8000 logloss=0.4100/1,234")
                .doesNotContain("delayed.");
        assertThat(lines.get(2)).contains("accuracy=0.7000 ");
    }

    @Test
    void aClassifiersVersionShowsItsLogLossBesideThePriorsAndItsAuc() {
        String all = Metrics.all(
                Map.of("accuracy", 0.8, "logloss", 0.45, "priorLogloss", 0.5, "auc", 0.73, "f1", 0.2, "count", 1000.0));
        assertThat(all).isEqualTo("accuracy=0.8000 logloss=0.4500 priorLogloss=0.5000 auc=0.7300 f1=0.2000");
    }

    @Test
    void marksTheVersionsADetectorFiredOn() {
        ModelVersion v6 = VersionJsonTest.version();
        v6.setVersion(6);
        ModelVersion v7 = VersionJsonTest.version();
        java.util.TreeMap<Long, ModelVersion> versions = new java.util.TreeMap<>(Map.of(6L, v6, 7L, v7));
        List<DriftAlert> alerts = List.of(alert(6, "adwin"), alert(6, "adwin"), alert(7, "page-hinkley"));
        List<String> lines = ModelsVersionsCommand.table(versions, Map.of(), 7L, null, alerts)
                .lines();
        assertThat(lines.get(0)).endsWith("DRIFT");
        assertThat(lines.get(1)).startsWith("      7").endsWith("page-hinkley");
        assertThat(lines.get(2)).startsWith("      6").endsWith("adwin x2");
        assertThat(ModelsVersionsCommand.table(versions, Map.of(), 7L, null)
                        .lines()
                        .get(1))
                .doesNotContain("adwin");
        assertThat(DriftAlerts.describe(alerts.get(0)))
                .isEqualTo("adwin after 2,041 labelled examples: error 0.1000 -> 0.8700");
    }

    private static DriftAlert alert(long version, String detector) {
        return DriftAlert.newBuilder()
                .setModel("m")
                .setVersion(version)
                .setDetector(detector)
                .setMetric("error")
                .setPosition(2041)
                .setBefore(0.1)
                .setAfter(0.87)
                .setDetectedAt(1)
                .build();
    }
}
