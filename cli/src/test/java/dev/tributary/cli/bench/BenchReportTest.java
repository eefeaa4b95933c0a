package dev.tributary.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static final String EOS = BenchSettings.EOS;
  private static final String ALOS = BenchSettings.ALOS;

  private static BenchReport report() {
    BenchSettings settings = new BenchSettings(1000, 20, 4, 1, null, 30, 5, 2, 60, 100, List.of(EOS, ALOS),
        Map.of("producer.linger.ms", "5"), 42, 2);
    List<ThroughputPhase.Result> throughput = List.of(
        new ThroughputPhase.Result(BenchRun.PASS_THROUGH, EOS, "app-1", 1000, 0.010, 0.5, true),
        new ThroughputPhase.Result(BenchRun.SCORE, EOS, "app-2", 1000, 0.0125, 0.5, true),
        new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, EOS, "app-3", 500, 0.025, 0.5, false),
        new ThroughputPhase.Result(BenchRun.PASS_THROUGH, ALOS, "app-4", 1000, 0.005, 0.1, true),
        new ThroughputPhase.Result(BenchRun.SCORE, ALOS, "app-5", 1000, 0.005, 0.1, true));
    Percentiles p = new Percentiles();
    for (long v = 1; v <= 1000; v++) {
      p.add(v);
    }
    List<LatencyPhase.Result> latency = List.of(
        new LatencyPhase.Result(EOS, "app-6", 30_000, 29_900, p.summary(), List.of(120L, 80L), List.of(5L, 4L), 200_000, 0),
        new LatencyPhase.Result(ALOS, "app-7", 60_000, 59_000, null, List.of(), List.of(), 0, 0));
    return new BenchReport(new BenchReport.Machine(2, "OpenJDK 17", "Linux amd64", 1L << 30, 1.5), settings,
        "embedded broker", "one logistic regression model", new Preloader.Result(1000, 280_000, 0.5), throughput,
        List.of(new ScaleOutPhase.Result(EOS, 1, "app-8", 800, 0.010, true),
            new ScaleOutPhase.Result(EOS, 2, "app-9", 600, 0.005, true)),
        latency, 12.3);
  }

  @Test
  void jsonHasTheMachineTheSettingsAndEveryFigure() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report().jsonText());
    assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
    assertThat(json.at("/settings/events").asLong()).isEqualTo(1000);
    assertThat(json.at("/settings/features").asInt()).isEqualTo(20);
    assertThat(json.at("/settings/partitions").asInt()).isEqualTo(4);
    assertThat(json.at("/settings/streamThreads").asInt()).isEqualTo(1);
    assertThat(json.at("/settings/commitIntervalMs").asInt()).isEqualTo(100);
    assertThat(json.at("/settings/guarantees/0").asText()).isEqualTo(EOS);
    assertThat(json.at("/settings/streamsOverrides/producer.linger.ms").asText()).isEqualTo("5");
    assertThat(json.at("/preload/eventsPerSecond").asLong()).isEqualTo(2000);

    JsonNode first = json.at("/throughput/0");
    assertThat(first.get("guarantee").asText()).isEqualTo(EOS);
    assertThat(first.get("topology").asText()).isEqualTo("pass-through");
    assertThat(first.get("eventsPerSecond").asLong()).isEqualTo(100_000);
    assertThat(first.get("complete").asBoolean()).isTrue();
    assertThat(json.at("/throughput/2/complete").asBoolean()).isFalse();
    assertThat(json.at("/throughput/2/eventsPerSecond").asLong()).isEqualTo(20_000);

    assertThat(json.at("/ratios/exactly_once_v2/scoreToPassThrough").asDouble()).isEqualTo(0.8);
    assertThat(json.at("/ratios/exactly_once_v2/trainAndScoreToPassThrough").asDouble()).isEqualTo(0.2);
    assertThat(json.at("/ratios/at_least_once/scoreToPassThrough").asDouble()).isEqualTo(1.0);
    assertThat(json.at("/ratios/at_least_once/trainAndScoreToPassThrough").isNull()).isTrue();

    JsonNode latency = json.at("/latency/0");
    assertThat(latency.get("guarantee").asText()).isEqualTo(EOS);
    assertThat(latency.get("topology").asText()).isEqualTo("score");
    assertThat(latency.get("offeredRate").asLong()).isEqualTo(30_000);
    assertThat(latency.get("samples").asInt()).isEqualTo(1000);
    assertThat(latency.get("p50Ms").asLong()).isEqualTo(500);
    assertThat(latency.get("p99Ms").asLong()).isEqualTo(990);
    assertThat(latency.get("p999Ms").asLong()).isEqualTo(999);
    assertThat(json.at("/latency/1/samples").asInt()).isZero();
    assertThat(json.at("/latency/1/p50Ms").isMissingNode()).isTrue();

    assertThat(json.at("/modelSwap/0/swapMs/0").asLong()).isEqualTo(120);
    assertThat(json.at("/modelSwap/0/medianMs").asLong()).isEqualTo(80);
    assertThat(json.at("/modelSwap/0/maxMs").asLong()).isEqualTo(120);
    assertThat(json.at("/wallSeconds").asDouble()).isEqualTo(12.3);

    assertThat(json.at("/scaleOut/cores").asInt()).isEqualTo(2);
    assertThat(json.at("/scaleOut/instances").asInt()).isEqualTo(2);
    assertThat(json.at("/scaleOut/runs/0/eventsPerSecond").asLong()).isEqualTo(80_000);
    assertThat(json.at("/scaleOut/runs/0/toOneInstance").asDouble()).isEqualTo(1.0);
    assertThat(json.at("/scaleOut/runs/1/instances").asInt()).isEqualTo(2);
    assertThat(json.at("/scaleOut/runs/1/toOneInstance").asDouble()).isEqualTo(1.5);
  }

  @Test
  void tableShowsEachPhaseAndItsRatio() {
    List<String> lines = report().table();
    assertThat(lines.get(0)).contains("1,000 events x 20 features").contains("4 partitions").contains("1 stream thread")
        .contains("2 cores");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("exactly_once_v2  score").contains("80,000").endsWith("0.80"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("train+score (partial)").endsWith("0.20"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("exactly_once_v2").contains("500").contains("990")
        .contains("999"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("120, 80"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Scale-out").contains("2 cores")
        .contains("bounded by the cores"));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("exactly_once_v2 +2 +120,000 .* 1\\.50"));
  }

  @Test
  void medianOfAnEvenCountIsTheLowerMiddle() {
    assertThat(BenchReport.median(List.of(30L, 10L, 20L, 40L))).isEqualTo(20);
    assertThat(BenchReport.median(List.of(5L))).isEqualTo(5);
  }

  @Test
  void labelsAsFeedbackAreComparedWithLabelsOnTheEvents() throws Exception {
    BenchSettings settings = new BenchSettings(1000, 20, 4, 1, null, 30, 5, 2, 60, 100, List.of(EOS, ALOS), Map.of(), 42, 0);
    List<ThroughputPhase.Result> throughput = List.of(
        new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, EOS, "app-1", 1000, 0.020, 0.5, true),
        new ThroughputPhase.Result(FeedbackPhase.TOPOLOGY, EOS, "app-2", 1000, 0.025, 0.5, true),
        new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, ALOS, "app-3", 1000, 0.010, 0.5, true));
    BenchReport report = new BenchReport(new BenchReport.Machine(2, "OpenJDK 17", "Linux amd64", 1L << 30, 1.5), settings,
        "embedded broker", "one logistic regression model", null, throughput, List.of(), List.of(), 1.0);
    JsonNode json = new ObjectMapper().readTree(report.jsonText());
    assertThat(json.at("/ratios/exactly_once_v2/feedbackToInlineLabels").asDouble()).isEqualTo(0.8);
    assertThat(json.at("/ratios/at_least_once/feedbackToInlineLabels").isNull()).isTrue();
    assertThat(json.at("/throughput/1/topology").asText()).isEqualTo("train+score, labels as feedback");
    assertThat(report.table()).contains(
        "exactly_once_v2: labels as feedback (" + FeedbackPhase.DELAY_MS + " ms later) / labels on the events (train+score) = 0.80");
    assertThat(String.join("\n", report.table())).doesNotContain("at_least_once: labels as feedback");
  }
}
