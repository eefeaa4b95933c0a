package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.TrainerState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models a train task trains, each loaded on its first example: from its checkpoint in the
 * {@code trainer-state} store and the journal since ({@link JournalReplay}), or — never trained
 * here — from the registry's latest version. After a restore, the models the task's previous owner
 * trained are loaded at the first tick, so that their time-based publication does not wait for
 * their next example.
 */
final class TrainedModels {
    private static final Logger LOG = LoggerFactory.getLogger(TrainedModels.class);

    private final ModelCatalog catalog;
    private final Duration unknownModelWait;
    private final FunctionSpec function;
    private final TrainerStateStore store;
    private final JournalReplay replay;
    private final Map<String, ModelTraining> training = new HashMap<>();
    /** Models whose state this task restored and has not loaded yet. */
    private List<String> restored;

    TrainedModels(
            ModelCatalog catalog,
            Duration unknownModelWait,
            FunctionSpec function,
            TrainerStateStore store,
            JournalReplay replay) {
        this.catalog = catalog;
        this.unknownModelWait = unknownModelWait;
        this.function = function;
        this.store = store;
        this.replay = replay;
        this.restored = store.models();
    }

    /** The model's training, loaded if needed; null (logged) if the registry does not know the model. */
    ModelTraining get(String model, long now) {
        ModelTraining t = training.get(model);
        if (t != null) {
            return t;
        }
        ModelSpec spec = catalog.spec(model).orElse(null);
        if (spec == null && catalog.awaitCaughtUp(unknownModelWait)) {
            spec = catalog.spec(model).orElse(null);
        }
        if (spec == null) {
            LOG.warn("Model '{}' is not in the registry (retired?): its training events are skipped", model);
            return null;
        }
        TrainerState saved = store.get(model);
        TrainerState state = saved;
        if (saved == null) {
            ModelVersion latest = catalog.latest(model)
                    .orElseThrow(() -> new IllegalStateException("model '" + model + "' has a spec but no version"));
            state = new TrainerState(latest, latest.getExamplesSeen(), now, null);
        }
        t = new ModelTraining(spec, function, ModelVersions.learnerOf(spec, state.getCurrent()), state);
        if (saved == null) {
            t.writes.checkpointNext(); // the base any journal is replayed onto, whatever the registry holds later
        }
        replay.replay(t);
        training.put(model, t);
        return t;
    }

    /** Loads the models a previous owner left state for (once; a model that fails to load is logged and skipped). */
    void loadRestored(long now) {
        for (String model : restored) {
            if (!training.containsKey(model)) {
                try {
                    get(model, now);
                } catch (RuntimeException e) {
                    LOG.warn("Model '{}' could not be loaded from its restored state: {}", model, e.toString());
                }
            }
        }
        restored = List.of();
    }

    /** The models being trained (a challenger that takes over replaces its model's entry). */
    Map<String, ModelTraining> byName() {
        return training;
    }

    Collection<ModelTraining> all() {
        return training.values();
    }
}
