package dev.tributary.cli;

import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.LearnerConfig;
import dev.tributary.learn.Learners;
import dev.tributary.learn.drift.DriftDetector;
import dev.tributary.learn.drift.Increases;
import dev.tributary.learn.drift.PerEventError;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How fast each drift detector notices a change, and how often it cries wolf: a learner runs
 * test-then-train over {@link SyntheticStream}s whose truth changes at a known event, and each
 * detector watches its per-event error (0/1 for classifiers, the absolute error for regression) as
 * the train function feeds it, reporting only increases. The detectors never act on the learner, so
 * they all watch one error stream per run. The always-fire and never-fire baselines bound the
 * figures: any delay is at least the first's and any false-alarm rate at least the second's.
 *
 * <pre>{@code
 * List<DriftEvaluation.Result> results = DriftEvaluation.run(DriftEvaluation.scenarios(100_000, 10_000, 1_000_000),
 *     DriftEvaluation.DETECTORS, 5, Algorithm.LOGISTIC_REGRESSION, 5);
 * }</pre>
 */
final class DriftEvaluation {
    static final String ALWAYS = "always-fire";
    static final String NEVER = "never-fire";
    static final List<String> DETECTORS = List.of("adwin", "page-hinkley", ALWAYS, NEVER);

    private DriftEvaluation() {}

    /**
     * A stream of {@code events} whose truth changes at {@code driftAt} (over {@code driftWidth} events;
     * {@code driftAt} past the end: no change).
     */
    record Scenario(String name, long events, long driftAt, long driftWidth) {
        boolean drifts() {
            return driftAt < events;
        }
    }

    /** The usual three: abrupt and gradual changes half-way through, and a stationary stream. */
    static List<Scenario> scenarios(long driftEvents, long gradualWidth, long stationaryEvents) {
        return List.of(
                new Scenario("abrupt", driftEvents, driftEvents / 2, 0),
                new Scenario("gradual", driftEvents, driftEvents / 2, gradualWidth),
                new Scenario("stationary", stationaryEvents, Long.MAX_VALUE, 0));
    }

    /**
     * @param delays per run that noticed the change: events from the change to the first detection after it
     * @param falseAlarms detections before the change (in a stationary stream: all of them), over all runs
     * @param eventsBeforeChange events before the change, over all runs
     */
    record Result(
            String detector,
            Scenario scenario,
            int runs,
            List<Long> delays,
            long falseAlarms,
            long eventsBeforeChange) {
        double falseAlarmsPerMillion() {
            return eventsBeforeChange == 0 ? 0 : falseAlarms * 1e6 / eventsBeforeChange;
        }

        double meanDelay() {
            return delays.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        }

        /** The median delay of the runs that noticed the change; NaN if none did. */
        double medianDelay() {
            if (delays.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(delays);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        }

        long maxDelay() {
            return delays.stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }

    /** A detector by name, reporting increases only, or one of the two baselines. */
    static DriftDetector detector(String name) {
        return switch (name) {
            case ALWAYS -> baseline(name, true);
            case NEVER -> baseline(name, false);
            default -> new Increases(DriftDetector.of(name));
        };
    }

    private static DriftDetector baseline(String name, boolean fires) {
        return new DriftDetector() {
            private long count;

            @Override
            public boolean update(double x) {
                count++;
                return fires;
            }

            @Override
            public long count() {
                return count;
            }

            @Override
            public double meanBefore() {
                return Double.NaN;
            }

            @Override
            public double meanAfter() {
                return Double.NaN;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Every detector on every scenario, {@code runs} seeds each (seeds 1 to runs); rows by scenario, then detector. */
    static List<Result> run(
            List<Scenario> scenarios, List<String> detectors, int runs, Algorithm algorithm, int dimension) {
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Map<String, List<Long>> delays = new LinkedHashMap<>();
            Map<String, long[]> alarms = new LinkedHashMap<>();
            detectors.forEach(d -> {
                delays.put(d, new ArrayList<>());
                alarms.put(d, new long[1]);
            });
            long before = 0;
            for (int seed = 1; seed <= runs; seed++) {
                before += runOnce(scenario, detectors, seed, algorithm, dimension, delays, alarms);
            }
            for (String d : detectors) {
                results.add(new Result(d, scenario, runs, delays.get(d), alarms.get(d)[0], before));
            }
        }
        return results;
    }

    /** One seed: adds each detector's delay (if it noticed) and false alarms; returns the events before the change. */
    private static long runOnce(
            Scenario scenario,
            List<String> names,
            long seed,
            Algorithm algorithm,
            int dimension,
            Map<String, List<Long>> delays,
            Map<String, long[]> alarms) {
        SyntheticStream stream =
                new SyntheticStream("drift", algorithm, dimension, seed, scenario.driftAt(), scenario.driftWidth());
        LearnerConfig config = LearnerConfig.defaults(ModelVersions.taskOf(algorithm), stream.featureNames());
        Learner learner = Learners.create(config);
        Featurizer featurizer = Featurizer.of(config);
        FeatureVector x = featurizer.newVector();
        List<DriftDetector> detectors =
                names.stream().map(DriftEvaluation::detector).toList();
        boolean[] noticed = new boolean[detectors.size()];
        for (long k = 0; k < scenario.events(); k++) {
            Event e = stream.next();
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            double y = e.getLabel();
            double error = PerEventError.of(learner, learner.margin(x), y);
            for (int i = 0; i < detectors.size(); i++) {
                if (!detectors.get(i).update(error)) {
                    continue;
                }
                if (k < scenario.driftAt()) {
                    alarms.get(names.get(i))[0]++;
                } else if (!noticed[i]) {
                    noticed[i] = true;
                    delays.get(names.get(i)).add(k - scenario.driftAt());
                }
            }
            learner.learn(x, y);
        }
        return Math.min(scenario.events(), scenario.driftAt());
    }
}
