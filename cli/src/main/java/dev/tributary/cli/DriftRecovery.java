package dev.tributary.cli;

import dev.tributary.functions.Challenger;
import dev.tributary.learn.FeatureVector;
import dev.tributary.learn.Featurizer;
import dev.tributary.learn.Learner;
import dev.tributary.learn.Learners;
import dev.tributary.learn.drift.DriftDetector;
import dev.tributary.learn.drift.Increases;
import dev.tributary.learn.drift.PerEventError;
import dev.tributary.model.ModelVersions;
import dev.tributary.producers.SyntheticStream;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How many events after an abrupt change a classifier takes to get its accuracy back, with and
 * without {@code onDrift CHALLENGER}: the train function's loop, offline — a learner test-then-trains
 * on a {@link SyntheticStream}, a detector watches its per-event error, and with the reaction a
 * {@link Challenger} starts on the first alert after the change and takes over once it beats the
 * learner on the same examples (over the spec's promotion window, by its default margin). The model is
 * scored as if every example published a version. It has recovered at the first event after the
 * change where its accuracy over the last {@value #WINDOW} events is back within {@value #TOLERANCE}
 * of its accuracy over the {@value #WINDOW} events before the change.
 *
 * <pre>{@code
 * DriftRecovery.Run run = DriftRecovery.run(Algorithm.LOGISTIC_REGRESSION, 5, 1, 50_000, 100_000, "adwin", true, 1_000);
 * run.recoveredAfter();   // events after the change, or -1
 * }</pre>
 */
final class DriftRecovery {
    static final int WINDOW = 1_000;
    static final double TOLERANCE = 0.01;

    private DriftRecovery() {}

    /**
     * @param recoveredAfter events from the change to recovery, -1 if not by the end
     * @param before the accuracy over the {@value #WINDOW} events before the change
     * @param tookOverAfter events from the change to the challenger's takeover, -1 if none
     */
    record Run(long recoveredAfter, double before, long tookOverAfter) {}

    /** @param promotionWindow the spec's: the examples a challenger must be better on before it takes over */
    static Run run(
            Algorithm algorithm,
            int dimension,
            long seed,
            long driftAt,
            long events,
            String detectorName,
            boolean challenger,
            long promotionWindow) {
        SyntheticStream stream = new SyntheticStream("recovery", algorithm, dimension, seed, driftAt);
        ModelSpec spec = ModelVersions.defaultSpec("recovery", algorithm, stream.featureNames())
                .setPromotionWindow(promotionWindow)
                .build();
        Learner model = Learners.create(ModelVersions.configOf(spec));
        Featurizer featurizer = Featurizer.of(ModelVersions.configOf(spec));
        FeatureVector x = featurizer.newVector();
        DriftDetector detector = new Increases(DriftDetector.of(detectorName));
        boolean[] hits = new boolean[WINDOW];
        int correct = 0;
        double before = Double.NaN;
        Challenger running = null;
        long tookOver = -1;
        for (long k = 0; k < events; k++) {
            Event e = stream.next();
            featurizer.fill(e.getFeatures(), e.getCategories(), x);
            double y = e.getLabel();
            double margin = model.margin(x);
            double error = PerEventError.of(model, margin, y);
            int slot = (int) (k % WINDOW);
            correct += (error == 0 ? 1 : 0) - (k >= WINDOW && hits[slot] ? 1 : 0);
            hits[slot] = error == 0;
            if (k == driftAt - 1) {
                before = (double) correct / WINDOW;
            }
            if (k >= driftAt + WINDOW - 1 && correct >= (before - TOLERANCE) * WINDOW) {
                return new Run(k - driftAt, before, tookOver);
            }
            boolean alert = detector.update(error);
            if (challenger && alert && k >= driftAt && running == null && tookOver < 0) {
                running = Challenger.start(spec, model);
            }
            if (running != null) {
                running.learn(x, y, model, margin);
            }
            model.learn(x, y);
            if (running != null && running.wins()) {
                model = running.learner();
                running = null;
                tookOver = k - driftAt;
            } else if (running != null && running.givesUp()) {
                running = null;
            }
        }
        return new Run(-1, before, tookOver);
    }

    /** One row per reaction: runs that recovered, the mean and median events to recover, the takeovers. */
    static Table table(
            Algorithm algorithm,
            int dimension,
            int runs,
            long driftAt,
            long events,
            String detector,
            long promotionWindow) {
        Table table = new Table("detector", "on drift", "recovered", "mean events", "median events", "takeovers");
        for (boolean challenger : new boolean[] {false, true}) {
            List<Long> recovered = new ArrayList<>();
            int takeovers = 0;
            for (int seed = 1; seed <= runs; seed++) {
                Run run = run(algorithm, dimension, seed, driftAt, events, detector, challenger, promotionWindow);
                if (run.recoveredAfter() >= 0) {
                    recovered.add(run.recoveredAfter());
                }
                takeovers += run.tookOverAfter() >= 0 ? 1 : 0;
            }
            DriftEvaluation.Result r = new DriftEvaluation.Result(detector, null, runs, recovered, 0, 0);
            table.row(
                    detector,
                    challenger ? "challenger" : "none",
                    recovered.size() + "/" + runs,
                    recovered.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.0f", r.meanDelay()),
                    recovered.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.0f", r.medianDelay()),
                    challenger ? takeovers + "/" + runs : "");
        }
        return table;
    }
}
