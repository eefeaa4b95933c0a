package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.schema.Algorithm;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EvaluateDriftCommandTest {
    private static final List<DriftEvaluation.Scenario> SMALL = DriftEvaluation.scenarios(20_000, 2_000, 50_000);

    private static Map<String, DriftEvaluation.Result> byKey(List<DriftEvaluation.Result> results) {
        return results.stream()
                .collect(Collectors.toMap(r -> r.scenario().name() + "/" + r.detector(), Function.identity()));
    }

    @Test
    void theBaselinesBoundTheFigures() {
        Map<String, DriftEvaluation.Result> r =
                byKey(DriftEvaluation.run(SMALL, DriftEvaluation.DETECTORS, 2, Algorithm.LOGISTIC_REGRESSION, 3));
        DriftEvaluation.Result always = r.get("abrupt/" + DriftEvaluation.ALWAYS);
        assertThat(always.delays()).containsExactly(0L, 0L);
        assertThat(always.eventsBeforeChange()).isEqualTo(2 * 10_000);
        assertThat(always.falseAlarmsPerMillion()).isEqualTo(1e6);
        DriftEvaluation.Result never = r.get("gradual/" + DriftEvaluation.NEVER);
        assertThat(never.delays()).isEmpty();
        assertThat(never.falseAlarms()).isZero();
        assertThat(r.get("stationary/" + DriftEvaluation.ALWAYS).eventsBeforeChange())
                .isEqualTo(2 * 50_000);
    }

    @Test
    void theDetectorsNoticeTheAbruptChange() {
        Map<String, DriftEvaluation.Result> r = byKey(
                DriftEvaluation.run(SMALL, List.of("adwin", "page-hinkley"), 3, Algorithm.LOGISTIC_REGRESSION, 3));
        for (String d : List.of("adwin", "page-hinkley")) {
            DriftEvaluation.Result abrupt = r.get("abrupt/" + d);
            assertThat(abrupt.delays()).as(d).isNotEmpty();
            assertThat(abrupt.medianDelay()).as(d).isBetween(0.0, 10_000.0);
        }
    }

    @Test
    void printsOneRowPerStreamAndDetector() {
        CliRun run = CliRun.of(
                "evaluate-drift",
                "--runs",
                "1",
                "--events",
                "4000",
                "--gradual-width",
                "500",
                "--stationary-events",
                "2000");
        assertThat(run.code()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(1 + 3 * DriftEvaluation.DETECTORS.size());
        assertThat(lines.get(0)).contains("stream", "detector", "noticed", "median delay", "false alarms / M");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("abrupt", "always-fire", "1/1", "1000000.0"));
    }

    @Test
    void refusesAGradualWidthLongerThanTheSecondHalf() {
        CliRun run = CliRun.of("evaluate-drift", "--events", "1000", "--gradual-width", "600");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--gradual-width");
    }

    @Test
    void aChallengerTakesOverAfterTheChangeOnlyWithTheReaction() {
        DriftRecovery.Run without =
                DriftRecovery.run(Algorithm.LOGISTIC_REGRESSION, 5, 1, 20_000, 40_000, "adwin", false, 300);
        DriftRecovery.Run with =
                DriftRecovery.run(Algorithm.LOGISTIC_REGRESSION, 5, 1, 20_000, 40_000, "adwin", true, 300);
        assertThat(without.tookOverAfter()).isEqualTo(-1);
        assertThat(with.tookOverAfter()).isBetween(300L, 20_000L);
        assertThat(with.before()).isEqualTo(without.before()); // the same model until the change
        assertThat(with.recoveredAfter()).isGreaterThanOrEqualTo(DriftRecovery.WINDOW - 1);
    }

    @Test
    void recoveryIsForClassifiers() {
        CliRun run = CliRun.of("evaluate-drift", "--recovery", "--algorithm", "linear");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--recovery measures accuracy");
    }
}
