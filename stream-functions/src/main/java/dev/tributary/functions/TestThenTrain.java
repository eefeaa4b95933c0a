package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.schema.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning one example: it is scored into the model's {@link dev.tributary.model.MetricWindow}
 * (and its challenger's, if any) before the learner learns it; a label that came later also scores
 * the prediction the user got ({@code delayed.*}). Live examples count in the stats; replayed ones
 * (from the journal) do not, and learn exactly as they did the first time.
 */
final class TestThenTrain {
    private static final Logger LOG = LoggerFactory.getLogger(TestThenTrain.class);

    private final TrainingInputs inputs;
    private final FunctionStats stats;
    private final FeatureVector x = new FeatureVector(64);

    TestThenTrain(TrainingInputs inputs, FunctionStats stats) {
        this.inputs = inputs;
        this.stats = stats;
    }

    /**
     * Learns a training record of any generation; false if it does not fit the model (nothing
     * learned). The caller adds where it came from ({@link ModelTraining#learnedFrom}).
     */
    boolean learn(ModelTraining t, byte[] value, long recordTimestamp, boolean live) {
        return learn(t, inputs.read(t, value, recordTimestamp, x), live);
    }

    /** Learns a decoded event (a journal of the first release); false if it does not fit the model. */
    boolean learn(ModelTraining t, Event event, boolean live) {
        return learn(t, inputs.read(t, event, x), live);
    }

    private boolean learn(ModelTraining t, TrainingInputs.Example example, boolean live) {
        if (example == null) {
            return false;
        }
        if (!learnFilled(t, example.label(), live)) {
            LOG.warn(
                    "Model '{}' rejected the update from event '{}': it would make the weights non-finite or explode",
                    t.name(),
                    example.id());
        }
        if (example.joined()) {
            t.delayed.add(example.seenMargin(), example.label());
        }
        return true;
    }

    /** Test-then-train on {@link #x}; false if a live update was rejected. */
    private boolean learnFilled(ModelTraining t, double y, boolean live) {
        double margin = t.learner.margin(x);
        t.window.add(t.learner, margin, y); // test, then train
        if (live && t.challenger != null) {
            t.challenger.learn(x, y, t.learner, margin);
        }
        boolean accepted = t.learner.learn(x, y);
        if (live && accepted) {
            stats.learned.increment();
        } else if (live) {
            stats.updatesRejected.increment();
        }
        return accepted || !live;
    }
}
