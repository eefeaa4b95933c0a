package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import java.util.Map;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh learner trained alongside a model after a drift alert ({@link DriftSignals}): it stops if
 * it does not beat the model in time, else it takes over the model's training and its next version
 * is published at once.
 */
final class ChallengerRace {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengerRace.class);

    private final FunctionSpec function;
    private final FunctionStats stats;
    private DriftSignals driftSignals = new DriftSignals();

    ChallengerRace(FunctionSpec function, FunctionStats stats) {
        this.function = function;
        this.stats = stats;
    }

    /** Uses this topology's signals from the {@link DriftProcessor}. */
    void driftSignals(DriftSignals signals) {
        this.driftSignals = signals;
    }

    /**
     * Starts a challenger a drift alert asked for; when one beat the model, it takes over the model's
     * training (in {@code training}) and the result is the training to publish now, else null.
     */
    ModelTraining step(ModelTraining t, TaskId task, Map<String, ModelTraining> training) {
        String name = t.name();
        if (driftSignals.takeChallengerWanted(task, name) && t.challenger == null) {
            t.challenger = Challenger.start(t.spec, t.learner);
            stats.challengersStarted.increment();
        }
        Challenger c = t.challenger;
        if (c == null) {
            return null;
        }
        if (c.givesUp()) {
            LOG.info(
                    "Model '{}': the challenger did not beat the model in {} examples ({} vs {}) and stops",
                    name,
                    c.examples(),
                    String.format("%.4f", c.value()),
                    String.format("%.4f", c.modelValue()));
            t.challenger = null;
            return null;
        }
        if (!c.wins()) {
            return null;
        }
        ModelTraining next = t.continuedBy(c.learner(), c.window(), function);
        training.put(name, next);
        stats.challengersTookOver.increment();
        LOG.info(
                "Model '{}': the challenger beat the model on the same {} examples ({} {} vs {}) and takes over after "
                        + "{} examples",
                name,
                c.window().size(),
                c.window().metric().key(),
                String.format("%.4f", c.value()),
                String.format("%.4f", c.modelValue()),
                c.examples());
        return next;
    }
}
