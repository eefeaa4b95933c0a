package dev.tributary.registry;

import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelVersion;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Points aliases at versions, removes them, and rolls the champion back. */
final class AliasMoves {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegistrySession session;

    AliasMoves(RegistrySession session) {
        this.session = session;
    }

    /** See {@link ModelRegistry#setAlias}. */
    void setAlias(String model, String alias, long version) {
        RegistryKeys.alias(model, alias); // checks the names
        NavigableMap<Long, ModelVersion> versions =
                session.caughtUp("set alias " + model + "@" + alias).versions(model);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        if (!versions.containsKey(version)) {
            throw new IllegalArgumentException("model '" + model + "' has no version " + version + " (it has "
                    + RegistryEdits.describe(versions.keySet()) + ")");
        }
        pointAlias(model, alias, versions.get(version));
    }

    /** See {@link ModelRegistry#rollback}. */
    ModelRegistry.Rollback rollback(String model, Long to) {
        RegistryKeys.checkName("model", model);
        RegistryView.ModelState state =
                session.caughtUp("roll back model '" + model + "'").stateOrNull(model);
        if (state == null || state.versions().isEmpty()) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        Long champion = state.aliases().get(RegistryView.CHAMPION);
        RegistryEdits.RollbackTarget plan = RegistryEdits.rollbackTarget(model, state, to);
        long target = plan.version();
        List<Long> skipped = plan.skipped();
        pointAlias(model, RegistryView.CHAMPION, state.versions().get(target));
        LOG.info(
                "model '{}': champion moved from {} to version {}",
                model,
                champion == null ? "(unset; latest " + state.serving().getVersion() + ")" : "version " + champion,
                target);
        return new ModelRegistry.Rollback(model, champion, target, List.copyOf(skipped));
    }

    /** See {@link ModelRegistry#removeAlias}. */
    boolean removeAlias(String model, String alias) {
        String key = RegistryKeys.alias(model, alias);
        if (!session.caughtUp("remove alias " + model + "@" + alias)
                .aliases(model)
                .containsKey(alias)) {
            return false;
        }
        RegistryWriter writer = session.writer();
        writer.await(writer.send(key, null), key, session.deadline());
        return true;
    }

    /**
     * Sends the version again (same key, same value) and then the alias: a serving view that released
     * the version's weights ({@link RegistryView#releasingOldWeights}) holds it whole again when the
     * alias arrives.
     */
    private void pointAlias(String model, String alias, ModelVersion version) {
        RegistryWriter writer = session.writer();
        writer.ensureTopicOnce();
        String versionKey = RegistryKeys.version(model, version.getVersion());
        String aliasKey = RegistryKeys.alias(model, alias);
        long deadline = session.deadline();
        Future<RecordMetadata> sentVersion = writer.send(versionKey, writer.encode(version));
        Future<RecordMetadata> sentAlias = writer.send(
                aliasKey, writer.encode(alias(model, alias, version.getVersion(), System.currentTimeMillis())));
        writer.await(sentVersion, versionKey, deadline);
        writer.await(sentAlias, aliasKey, deadline);
    }

    static ModelAlias alias(String model, String alias, long version, long updatedAt) {
        return ModelAlias.newBuilder()
                .setModel(model)
                .setAlias(alias)
                .setVersion(version)
                .setUpdatedAt(updatedAt)
                .build();
    }
}
