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
}
