package dev.tributary.registry;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes from the registry: a version, a whole model, or a model's old versions. */
final class Retirements {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegistrySession session;

    Retirements(RegistrySession session) {
        this.session = session;
    }

    /** See {@link ModelRegistry#retireVersion}. */
    List<String> retireVersion(String model, long version, boolean force) {
        RegistryKeys.checkName("model", model);
        String key = RegistryKeys.version(model, version);
        RegistryView.ModelState state = session.caughtUp("retire version " + version + " of model '" + model + "'")
                .stateOrNull(model);
        if (state == null || state.versions().isEmpty()) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        List<String> aliases = RegistryEdits.aliasesRetiredWith(model, version, force, state);
        List<String> keys = new ArrayList<>();
        aliases.forEach(a -> keys.add(RegistryKeys.alias(model, a)));
        keys.add(key); // last: no alias ever points at a missing version in between
        session.writer().sendAll(keys);
        LOG.info(
                "retired version {} of model '{}'{}",
                version,
                model,
                aliases.isEmpty() ? "" : " and its aliases " + aliases);
        return List.copyOf(aliases);
    }

    /** See {@link ModelRegistry#retire}. */
    int retire(String model) {
        RegistryKeys.checkName("model", model);
        RegistryView.ModelState state =
                session.caughtUp("retire model '" + model + "'").stateOrNull(model);
        if (state == null) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        List<String> keys = new ArrayList<>();
        if (state.spec() != null) {
            keys.add(RegistryKeys.spec(model));
        }
        state.aliases().keySet().forEach(a -> keys.add(RegistryKeys.alias(model, a)));
        state.versions().keySet().forEach(v -> keys.add(RegistryKeys.version(model, v)));
        session.writer().sendAll(keys);
        LOG.info("retired model '{}' ({} registry records deleted)", model, keys.size());
        return keys.size();
    }

    /** See {@link ModelRegistry#prune}. */
    int prune(String model, int keepLatest) {
        if (keepLatest < 1) {
            throw new IllegalArgumentException("keepLatest must be at least 1, not " + keepLatest);
        }
        RegistryView view = session.caughtUp("prune model '" + model + "'");
        List<String> keys = RegistryEdits.prunedKeys(
                model, view.versions(model), view.aliases(model).values(), keepLatest);
        session.writer().sendAll(keys);
        return keys.size();
    }
}
