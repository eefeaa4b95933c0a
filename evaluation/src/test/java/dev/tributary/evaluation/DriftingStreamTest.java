package dev.tributary.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftingStreamTest {

    @Test
    void aboutOneRowInFiveIsPositiveWithADailyRhythmAndHundredsOfCategories() {
        DriftingStream stream = new DriftingStream(DriftingStream.Kind.SEASONAL, 200_000, 3);
        long[] positives = new long[2];
        long[] rows = new long[2];
        Set<String> ads = new HashSet<>();
        int[] r = {0};
        stream.replay((x, c, y) -> {
            // first and second half of each day: the daily sine is up, then down
            int half = (r[0]++ % DriftingStream.EVENTS_PER_DAY) < DriftingStream.EVENTS_PER_DAY / 2 ? 0 : 1;
            rows[half]++;
            positives[half] += (long) y;
            ads.add(c[0]);
        });
        double rate = (positives[0] + positives[1]) / 200_000.0;
        assertThat(rate).isBetween(0.17, 0.25);
        assertThat(positives[0] / (double) rows[0])
                .as("the daily rhythm")
                .isGreaterThan(positives[1] / (double) rows[1] + 0.05);
        assertThat(ads).hasSizeBetween(250, DriftingStream.ADS);
    }

    @Test
    void aReplayGivesTheSameRowsAndTheCsvHasOneLinePerRow() throws Exception {
        DriftingStream stream = new DriftingStream(DriftingStream.Kind.ABRUPT, 1_000, 9);
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        stream.replay((x, c, y) -> first.append(x[0]).append(c[1]).append(y));
        stream.replay((x, c, y) -> second.append(x[0]).append(c[1]).append(y));
        assertThat(first.toString()).isEqualTo(second.toString());
        StringWriter csv = new StringWriter();
        stream.writeCsv(csv);
        assertThat(csv.toString().lines()).hasSize(1_001).first().isEqualTo("amount,age,score,noise,ad,site,y");
    }

    @Test
    void theAbruptKindChangesItsModelAtAThird() {
        // A learner that has settled before the change does worse just after it.
        DriftingStream stream = new DriftingStream(DriftingStream.Kind.ABRUPT, 300_000, 4);
        EvaluationResult r = Evaluation.run(
                stream,
                dev.tributary.learn.LearnerConfig.defaults(dev.tributary.learn.Task.LOGISTIC, stream.features())
                        .withCategorical(stream.categorical(), 10),
                EvaluationOptions.defaults().withBatch(false).withCurvePoints(300));
        double[] window = r.curve().series().get("logloss.window");
        double[] prior = r.curve().series().get("prior.logloss.window");
        // A point every 1,000 rows, each window the last 10,000: point 99 ends at the change (row 100,000).
        double before = window[99] - prior[99];
        double after = window[109] - prior[109];
        System.out.printf("log loss minus the prior's: %.4f before the change, %.4f after%n", before, after);
        assertThat(after)
                .as("the learner's lead over the prior shrinks right after the change")
                .isGreaterThan(before + 0.005);
    }
}
