package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.bench.BenchFixtures;
import dev.tributary.bench.FeedbackPhase;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTablesTest {
    @Test
    void tableShowsEachPhaseAndItsRatio() {
        List<String> lines = BenchTables.lines(BenchFixtures.report());
        assertThat(lines.get(0))
                .contains("1,000 events x 20 features")
                .contains("4 partitions")
                .contains("1 stream thread")
                .contains("2 cores");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("exactly_once_v2  score")
                        .contains("80,000")
                        .endsWith("0.80"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).contains("train+score (partial)").endsWith("0.20"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("exactly_once_v2")
                        .contains("500")
                        .contains("990")
                        .contains("999"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("120, 80"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("Scale-out")
                        .contains("2 cores")
                        .contains("bounded by the cores"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("exactly_once_v2 +2 +120,000 .* 1\\.50"));
    }

    @Test
    void labelsAsFeedbackGetALineOfTheirOwnUnderTheThroughputTable() {
        List<String> lines = BenchTables.lines(BenchFixtures.withFeedback());
        assertThat(lines)
                .contains("exactly_once_v2: labels as feedback (" + FeedbackPhase.DELAY_MS
                        + " ms later) / labels on the events (train+score) = 0.80");
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("at_least_once: labels as feedback"));
        assertThat(BenchTables.lines(BenchFixtures.report()))
                .noneSatisfy(l -> assertThat(l).contains("labels as feedback"));
    }

    @Test
    void floorShadowFreshnessAndColdStartAreShown() {
        List<String> lines = BenchTables.lines(BenchFixtures.withFloorShadowFreshnessAndColdStart());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("exactly_once_v2 +score +40,000 .* 0\\.80 +0\\.40"));
        assertThat(lines).contains("exactly_once_v2: score with a shadow challenger / score = 0.90");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("exactly_once_v2 +steady +100 +490 +980 +990 +40 +60"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("default +exactly_once_v2 +2 +3000 +4000 +1500 .*"));
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).matches("no archive +exactly_once_v2 +1 +2000 +2000 +- +- +- +- +400"));
    }
}
