package dev.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    @Test
    void jsonHasTheMachineTheSettingsAndEveryFigure() throws Exception {
        JsonNode json = new ObjectMapper().readTree(BenchFixtures.report().jsonText());
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
        assertThat(json.at("/settings/events").asLong()).isEqualTo(1000);
        assertThat(json.at("/settings/features").asInt()).isEqualTo(20);
        assertThat(json.at("/settings/partitions").asInt()).isEqualTo(4);
        assertThat(json.at("/settings/streamThreads").asInt()).isEqualTo(1);
        assertThat(json.at("/settings/commitIntervalMs").asInt()).isEqualTo(100);
        assertThat(json.at("/settings/guarantees/0").asText()).isEqualTo(BenchSettings.EOS);
        assertThat(json.at("/settings/streamsOverrides/producer.linger.ms").asText())
                .isEqualTo("5");
        assertThat(json.at("/preload/eventsPerSecond").asLong()).isEqualTo(2000);

        JsonNode first = json.at("/throughput/0");
        assertThat(first.get("guarantee").asText()).isEqualTo(BenchSettings.EOS);
        assertThat(first.get("topology").asText()).isEqualTo("pass-through");
        assertThat(first.get("eventsPerSecond").asLong()).isEqualTo(100_000);
        assertThat(first.get("complete").asBoolean()).isTrue();
        assertThat(json.at("/throughput/2/complete").asBoolean()).isFalse();
        assertThat(json.at("/throughput/2/eventsPerSecond").asLong()).isEqualTo(20_000);

        assertThat(json.at("/ratios/exactly_once_v2/scoreToPassThrough").asDouble())
                .isEqualTo(0.8);
        assertThat(json.at("/ratios/exactly_once_v2/trainAndScoreToPassThrough").asDouble())
                .isEqualTo(0.2);
        assertThat(json.at("/ratios/at_least_once/scoreToPassThrough").asDouble())
                .isEqualTo(1.0);
        assertThat(json.at("/ratios/at_least_once/trainAndScoreToPassThrough").isNull())
                .isTrue();

        JsonNode latency = json.at("/latency/0");
        assertThat(latency.get("guarantee").asText()).isEqualTo(BenchSettings.EOS);
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
    void medianOfAnEvenCountIsTheLowerMiddle() {
        assertThat(BenchReport.median(List.of(30L, 10L, 20L, 40L))).isEqualTo(20);
        assertThat(BenchReport.median(List.of(5L))).isEqualTo(5);
    }

    @Test
    void labelsAsFeedbackAreComparedWithLabelsOnTheEvents() throws Exception {
        BenchReport report = BenchFixtures.withFeedback();
        JsonNode json = new ObjectMapper().readTree(report.jsonText());
        assertThat(json.at("/ratios/exactly_once_v2/feedbackToInlineLabels").asDouble())
                .isEqualTo(0.8);
        assertThat(json.at("/ratios/at_least_once/feedbackToInlineLabels").isNull())
                .isTrue();
        assertThat(json.at("/throughput/1/topology").asText()).isEqualTo("train+score, labels as feedback");
        assertThat(report.feedbackRatio(BenchSettings.ALOS)).isNull();
    }

    @Test
    void scoreIsComparedWithTheFloorAndShadowScoringWithScoring() throws Exception {
        BenchReport report = BenchFixtures.withFloorShadowFreshnessAndColdStart();
        JsonNode ratios = new ObjectMapper().readTree(report.jsonText()).at("/ratios/exactly_once_v2");
        assertThat(ratios.get("scoreToPassThrough").asDouble()).isEqualTo(0.4);
        assertThat(ratios.get("scoreToFloor").asDouble()).isEqualTo(0.8);
        assertThat(ratios.get("shadowToScore").asDouble()).isEqualTo(0.9);
        assertThat(ratios.get("trainAndScoreToFloor").asDouble()).isEqualTo(0.6);
        assertThat(BenchFixtures.report().shadowRatio(BenchSettings.EOS)).isNull();
    }

    @Test
    void jsonHasFreshnessAndColdStart() throws Exception {
        JsonNode json = new ObjectMapper()
                .readTree(BenchFixtures.withFloorShadowFreshnessAndColdStart().jsonText());
        assertThat(json.at("/freshness/0/phase").asText()).isEqualTo("catch-up");
        assertThat(json.at("/freshness/0/examplesBehindP50").asLong()).isEqualTo(490);
        assertThat(json.at("/freshness/0/examplesBehindP99").asLong()).isEqualTo(980);
        assertThat(json.at("/freshness/0/trainAndScoreLatencyP99Ms").isMissingNode())
                .isTrue();
        assertThat(json.at("/freshness/1/unknownVersions").asLong()).isEqualTo(3);
        assertThat(json.at("/freshness/1/trainAndScoreLatencyP99Ms").asLong()).isEqualTo(60);

        assertThat(json.at("/coldStart/0/variant").asText()).isEqualTo("default");
        assertThat(json.at("/coldStart/0/p50Ms").asLong()).isEqualTo(3000);
        assertThat(json.at("/coldStart/0/p99Ms").asLong()).isEqualTo(4000);
        assertThat(json.at("/coldStart/0/medianPartsMs/to streams start").asLong())
                .isEqualTo(1500);
        assertThat(json.at("/coldStart/0/medianPartsMs/group join").asLong()).isEqualTo(500);
        assertThat(json.at("/coldStart/0/medianPartsMs/assigned to prediction").asLong())
                .isEqualTo(1000);
        assertThat(json.at("/coldStart/0/allTasksRunningP50Ms").asLong()).isEqualTo(2200);
        assertThat(json.at("/coldStart/0/versionCommandP50Ms").asLong()).isEqualTo(600);
        assertThat(json.at("/coldStart/1/medianPartsMs/group join").isNull()).isTrue();
    }

    @Test
    void freshnessCountsTheExamplesBeforeTheEventThatTheVersionHadNotLearnt() {
        assertThat(Freshness.sequence("bench-42-1001")).isEqualTo(1001);
        assertThat(Freshness.sequence("no-number-here")).isZero();
    }

    @Test
    void coldStartPartsAreReadOffTheInstancesLog(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("run.log");
        java.nio.file.Files.writeString(
                log,
                String.join(
                        "\n",
                        "1700000000500 INFO  RunCommand - something else",
                        "1700000001000 INFO  KafkaStreams - stream-client [x] State transition from CREATED to REBALANCING",
                        "1700000001400 INFO  StreamThread - stream-thread [x] State transition from STARTING to PARTITIONS_ASSIGNED",
                        "1700000001500 INFO  StreamThread - stream-thread [x] State transition from PARTITIONS_ASSIGNED to RUNNING",
                        "a line without a time"));
        ColdStartPhase.Trial t = ColdStartPhase.trialOf(log, 1_700_000_000_000L, 1_700_000_001_900L);
        assertThat(t.totalMs()).isEqualTo(1900);
        assertThat(t.parts()).containsExactly(1000L, 400L, 500L);
        assertThat(t.runningMs()).isEqualTo(1500);
    }
}
