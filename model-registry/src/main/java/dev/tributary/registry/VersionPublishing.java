package dev.tributary.registry;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.Promotion;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates models and publishes their versions, refusing names and version numbers already taken. */
final class VersionPublishing {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final RegistrySession session;

    VersionPublishing(RegistrySession session) {
        this.session = session;
    }

    /** See {@link ModelRegistry#createModel}. */
    ModelVersion createModel(ModelSpec spec) {
        ModelSpecs.validate(spec);
        long now = System.currentTimeMillis();
        ModelSpec published = ModelSpec.newBuilder(spec)
                .setCreatedAt(spec.getCreatedAt() > 0 ? spec.getCreatedAt() : now)
                .build();
        ModelVersion v0 = ModelSpecs.initialVersion(published, now);
        String name = spec.getName();
        RegistryWriter writer = session.writer();
        byte[] specBytes = writer.encode(published);
        byte[] versionBytes = writer.encode(v0);
        writer.checkSize(RegistryKeys.version(name, 0), versionBytes, "version 0 of model '" + name + "'");

        writer.ensureTopicOnce();
        RegistryView.ModelState state =
                session.caughtUp("create model '" + name + "'").stateOrNull(name);
        if (state != null && state.spec() != null) {
            throw new IllegalArgumentException("model '" + name + "' already exists; pick another name or retire it");
        }
        if (state != null && !state.versions().isEmpty()) {
            throw new IllegalArgumentException(
                    "model '" + name + "' was retired but versions "
                            + state.versions().keySet()
                            + " of it are still in the registry; retire it again (a trainer may still be running for it) or pick another name");
        }
        Future<RecordMetadata> specSent = writer.send(RegistryKeys.spec(name), specBytes);
        Future<RecordMetadata> versionSent = writer.send(RegistryKeys.version(name, 0), versionBytes);
        // With AUTO promotion, champion is always set, so scoring never follows a version the gate refused.
        String championKey = RegistryKeys.alias(name, RegistryView.CHAMPION);
        Future<RecordMetadata> championSent = Promotion.isAuto(published)
                ? writer.send(championKey, writer.encode(AliasMoves.alias(name, RegistryView.CHAMPION, 0, now)))
                : null;
        long deadline = session.deadline();
        writer.await(specSent, RegistryKeys.spec(name), deadline);
        writer.await(versionSent, RegistryKeys.version(name, 0), deadline);
        if (championSent != null) {
            writer.await(championSent, championKey, deadline);
        }
        LOG.info(
                "created model '{}' ({}, {} weights, {} promotion) with version 0",
                name,
                spec.getAlgorithm(),
                v0.getWeights().remaining() / Double.BYTES,
                published.getPromotion());
        return v0;
    }

    /** See {@link ModelRegistry#publishVersion}. */
    void publishVersion(ModelVersion version) {
        Objects.requireNonNull(version, "version");
        String name = version.getModel();
        String key = RegistryKeys.version(name, version.getVersion());
        ModelSpecs.checkWeights(version);
        RegistryWriter writer = session.writer();
        byte[] bytes = writer.encode(version);
        writer.checkSize(key, bytes, "version " + version.getVersion() + " of model '" + name + "'");
        RegistryView.ModelState state = session.caughtUp(
                        "publish version " + version.getVersion() + " of model '" + name + "'")
                .stateOrNull(name);
        if (state == null || state.spec() == null) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "': create it before publishing versions of it");
        }
        if (state.versions().containsKey(version.getVersion())) {
            throw new IllegalArgumentException("version " + version.getVersion() + " of model '" + name
                    + "' already exists and versions are immutable; publish "
                    + (state.versions().lastKey() + 1) + " instead");
        }
        writer.ensureTopicOnce();
        writer.await(writer.send(key, bytes), key, session.deadline());
    }
}
