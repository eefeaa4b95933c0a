package dev.tributary.bench;

import java.util.List;
import java.util.Map;

/** A bench report with every phase, for the tests of this module and of the CLI's rendering of it (the test jar). */
public final class BenchFixtures {
    private static final String EOS = BenchSettings.EOS;
    private static final String ALOS = BenchSettings.ALOS;

    private BenchFixtures() {}

    public static BenchReport report() {
        BenchSettings settings = new BenchSettings(
                1000,
                20,
                4,
                1,
                null,
                30,
                5,
                2,
                60,
                100,
                List.of(EOS, ALOS),
                Map.of("producer.linger.ms", "5"),
                42,
                2,
                0);
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
                new LatencyPhase.Result(
                        EOS, "app-6", 30_000, 29_900, p.summary(), List.of(120L, 80L), List.of(5L, 4L), 200_000, 0),
                new LatencyPhase.Result(ALOS, "app-7", 60_000, 59_000, null, List.of(), List.of(), 0, 0));
        return report(
                settings,
                new Preloader.Result(1000, 280_000, 0.5),
                throughput,
                List.of(
                        new ScaleOutPhase.Result(EOS, 1, "app-8", 800, 0.010, true),
                        new ScaleOutPhase.Result(EOS, 2, "app-9", 600, 0.005, true)),
                latency,
                List.of(),
                List.of(),
                12.3);
    }

    /** Train + score under both guarantees, and with labels as feedback under exactly_once_v2 only (0.8 of inline). */
    public static BenchReport withFeedback() {
        BenchSettings settings =
                new BenchSettings(1000, 20, 4, 1, null, 30, 5, 2, 60, 100, List.of(EOS, ALOS), Map.of(), 42, 0, 0);
        List<ThroughputPhase.Result> throughput = List.of(
                new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, EOS, "app-1", 1000, 0.020, 0.5, true),
                new ThroughputPhase.Result(FeedbackPhase.TOPOLOGY, EOS, "app-2", 1000, 0.025, 0.5, true),
                new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, ALOS, "app-3", 1000, 0.010, 0.5, true));
        return report(settings, null, throughput, List.of(), List.of(), List.of(), List.of(), 1.0);
    }

    /**
     * Under exactly_once_v2: pass-through 100,000 events/s, floor 50,000, score 40,000, score with a shadow
     * 36,000, train + score 30,000; freshness in both phases and two variants of cold start.
     */
    public static BenchReport withFloorShadowFreshnessAndColdStart() {
        BenchSettings settings =
                new BenchSettings(1000, 20, 4, 1, null, 30, 5, 2, 60, 100, List.of(EOS), Map.of(), 42, 0, 2);
        List<ThroughputPhase.Result> throughput = List.of(
                new ThroughputPhase.Result(BenchRun.PASS_THROUGH, EOS, "app-1", 1000, 0.010, 0.5, true),
                new ThroughputPhase.Result(BenchRun.FLOOR, EOS, "app-2", 1000, 0.020, 0.5, true),
                new ThroughputPhase.Result(BenchRun.SCORE, EOS, "app-3", 1000, 0.025, 0.5, true),
                new ThroughputPhase.Result(BenchRun.SHADOW, EOS, "app-4", 900, 0.025, 0.5, true),
                new ThroughputPhase.Result(BenchRun.TRAIN_SCORE, EOS, "app-5", 600, 0.020, 0.5, true));
        Percentiles behind = new Percentiles();
        for (long v = 0; v < 100; v++) {
            behind.add(v * 10);
        }
        Percentiles latency = new Percentiles();
        latency.add(40);
        latency.add(60);
        List<Freshness.Result> freshness = List.of(
                new Freshness.Result(EOS, "catch-up", behind.summary(), 0, null, 0),
                new Freshness.Result(EOS, "steady", behind.summary(), 3, latency.summary(), 9_000));
        List<ColdStartPhase.Result> coldStart = List.of(
                new ColdStartPhase.Result(
                        "default",
                        EOS,
                        List.of(
                                new ColdStartPhase.Trial(3000, 1500L, 2000L, 2200L),
                                new ColdStartPhase.Trial(4000, 2500L, 3000L, 3200L)),
                        List.of(600L, 700L)),
                new ColdStartPhase.Result(
                        ColdStartPhase.NO_ARCHIVE,
                        EOS,
                        List.of(new ColdStartPhase.Trial(2000, null, null, null)),
                        List.of(400L)));
        return report(settings, null, throughput, List.of(), List.of(), freshness, coldStart, 1.0);
    }

    private static BenchReport report(
            BenchSettings settings,
            Preloader.Result preload,
            List<ThroughputPhase.Result> throughput,
            List<ScaleOutPhase.Result> scaleOut,
            List<LatencyPhase.Result> latency,
            List<Freshness.Result> freshness,
            List<ColdStartPhase.Result> coldStart,
            double wallSeconds) {
        return new BenchReport(
                new BenchReport.Machine(2, "OpenJDK 17", "Linux amd64", 1L << 30, 1.5),
                settings,
                "embedded broker",
                "one logistic regression model",
                preload,
                throughput,
                scaleOut,
                latency,
                freshness,
                coldStart,
                wallSeconds);
    }
}
