package dev.tributary.registry;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.Promotion;
import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry client used by the CLI and tests: creates models, publishes versions, moves
 * aliases, and reads it all back.
 *
 * <pre>{@code
 * try (ModelRegistry registry = new ModelRegistry(Map.of("bootstrap.servers", "127.0.0.1:9092"))) {
 *   registry.createModel(spec);                    // publishes the spec and version 0
 *   registry.setAlias("fraud", "champion", 3);     // scoring now follows version 3
 *   registry.resolve("fraud@champion");            // NAME, NAME@ALIAS or NAME:VERSION
 * }
 * }</pre>
 *
 * <p>Writes go through an idempotent producer ({@code acks=all}) and return once the broker has
 * acknowledged them. Reads first wait until the client's {@link RegistryFollower} has applied the
 * whole topic as it was at the call, so a read right after a write sees it. Every method that
 * talks to the broker gives up after the configured timeout (default {@link #DEFAULT_TIMEOUT})
 * with a {@link RegistryUnavailableException} naming the broker, rather than hanging. Writes create
 * the compacted registry topic first if it is missing. Thread-safe.
 */
public final class ModelRegistry implements AutoCloseable {
    static {
        AvroTrust.install();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final Duration timeout;
    private final RegistryWriter writer;
    private final RegistryFollower follower;

    /** A client of the default registry topic ({@code Topics.defaults().models()}). */
    public ModelRegistry(Map<String, Object> clientProperties) {
        this(clientProperties, Topics.defaults().models());
    }

    public ModelRegistry(Map<String, Object> clientProperties, String topic) {
        this(clientProperties, topic, DEFAULT_TIMEOUT);
    }

    /**
     * @param clientProperties Kafka client settings: {@code bootstrap.servers} and whatever else the
     *     cluster needs (security settings are passed through to every client)
     * @param topic the registry topic
     * @param timeout how long any one call may wait for the broker before it fails
     */
    public ModelRegistry(Map<String, Object> clientProperties, String topic, Duration timeout) {
        this.writer = new RegistryWriter(clientProperties, topic, timeout);
        this.topic = topic;
        this.timeout = timeout;
        this.follower = new RegistryFollower(Map.copyOf(clientProperties), topic);
        follower.start();
    }

    public String topic() {
        return topic;
    }

    /** The live view this client reads (it may lag the topic; the read methods here wait for it). */
    public RegistryView view() {
        return follower.view();
    }

    // ---------------------------------------------------------------- writes

    /**
     * Creates the compacted registry topic if it is missing (idempotent). Warns if an existing topic
     * is not compacted or has a lower {@code max.message.bytes} than the registry needs.
     */
    public void ensureTopic() {
        writer.ensureTopic();
    }

    /**
     * Validates {@code spec}, refuses a name already in use, then publishes the spec and version 0
     * (all-zero weights) so that scoring never waits for training. A {@code createdAt} of 0 or less
     * is replaced by the current time.
     *
     * @return version 0
     * @throws IllegalArgumentException if the spec is invalid, too large for the registry, or the name is taken
     */
    public synchronized ModelVersion createModel(ModelSpec spec) {
        ModelSpecs.validate(spec);
        long now = System.currentTimeMillis();
        ModelSpec published = ModelSpec.newBuilder(spec)
                .setCreatedAt(spec.getCreatedAt() > 0 ? spec.getCreatedAt() : now)
                .build();
        ModelVersion v0 = ModelSpecs.initialVersion(published, now);
        String name = spec.getName();
        byte[] specBytes = writer.encode(published);
        byte[] versionBytes = writer.encode(v0);
        writer.checkSize(RegistryKeys.version(name, 0), versionBytes, "version 0 of model '" + name + "'");

        writer.ensureTopicOnce();
        awaitCaughtUp("create model '" + name + "'");
        RegistryView.ModelState state = follower.view().stateOrNull(name);
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
                ? writer.send(championKey, writer.encode(alias(name, RegistryView.CHAMPION, 0, now)))
                : null;
        long deadline = System.nanoTime() + timeout.toNanos();
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

    /**
     * Publishes a new version of an existing model.
     *
     * @throws IllegalArgumentException if the model is unknown, the version number is taken (versions
     *     are immutable), its weights do not match its features, or it is larger than a registry record may be
     */
    public synchronized void publishVersion(ModelVersion version) {
        Objects.requireNonNull(version, "version");
        String name = version.getModel();
        String key = RegistryKeys.version(name, version.getVersion());
        ModelSpecs.checkWeights(version);
        byte[] bytes = writer.encode(version);
        writer.checkSize(key, bytes, "version " + version.getVersion() + " of model '" + name + "'");
        awaitCaughtUp("publish version " + version.getVersion() + " of model '" + name + "'");
        RegistryView.ModelState state = follower.view().stateOrNull(name);
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
        writer.await(writer.send(key, bytes), key, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Points {@code alias} of {@code model} at an existing version ({@link RegistryView#CHAMPION}
     * decides what is scored; moving it back is a rollback).
     */
    public synchronized void setAlias(String model, String alias, long version) {
        String key = RegistryKeys.alias(model, alias);
        awaitCaughtUp("set alias " + model + "@" + alias);
        NavigableMap<Long, ModelVersion> versions = follower.view().versions(model);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        if (!versions.containsKey(version)) {
            throw new IllegalArgumentException("model '" + model + "' has no version " + version + " (it has "
                    + RegistryEdits.describe(versions.keySet()) + ")");
        }
        pointAlias(model, alias, versions.get(version));
    }

    /**
     * Sends the version again (same key, same value) and then the alias: a serving view that released
     * the version's weights ({@link RegistryView#releasingOldWeights}) holds it whole again when the
     * alias arrives.
     */
    private void pointAlias(String model, String alias, ModelVersion version) {
        writer.ensureTopicOnce();
        String versionKey = RegistryKeys.version(model, version.getVersion());
        String aliasKey = RegistryKeys.alias(model, alias);
        long deadline = System.nanoTime() + timeout.toNanos();
        Future<RecordMetadata> sentVersion = writer.send(versionKey, writer.encode(version));
        Future<RecordMetadata> sentAlias = writer.send(
                aliasKey, writer.encode(alias(model, alias, version.getVersion(), System.currentTimeMillis())));
        writer.await(sentVersion, versionKey, deadline);
        writer.await(sentAlias, aliasKey, deadline);
    }

    private static ModelAlias alias(String model, String alias, long version, long updatedAt) {
        return ModelAlias.newBuilder()
                .setModel(model)
                .setAlias(alias)
                .setVersion(version)
                .setUpdatedAt(updatedAt)
                .build();
    }

    /**
     * What a rollback did.
     *
     * @param model the model
     * @param from the version champion pointed at before (null if it was not set: the latest was served)
     * @param to the version champion points at now
     * @param skipped versions between the two that were passed over because the promotion gate had refused them
     */
    public record Rollback(String model, Long from, long to, List<Long> skipped) {}

    /**
     * Moves {@link RegistryView#CHAMPION} back: to {@code to} if given, else to the newest version
     * older than the one served now (the champion, or the latest if no champion is set), passing
     * over versions the promotion gate refused. Scoring instances follow within a second.
     *
     * @throws IllegalArgumentException if the model or the version does not exist, or there is no older version
     *     (version 0, all-zero weights, only when named)
     */
    public synchronized Rollback rollback(String model, Long to) {
        RegistryKeys.checkName("model", model);
        awaitCaughtUp("roll back model '" + model + "'");
        RegistryView.ModelState state = follower.view().stateOrNull(model);
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
        return new Rollback(model, champion, target, List.copyOf(skipped));
    }

    /**
     * Retires one version: tombstones its key, so compaction removes it; every other version stays.
     * Aliases that point at it are deleted with it and returned. The version {@link
     * RegistryView#CHAMPION} points at is refused unless {@code force} (scoring would then fall back to
     * the latest version), and so is a model's only version (retire the model instead).
     *
     * @return the aliases deleted with the version, sorted
     * @throws IllegalArgumentException if the model or version does not exist or the retirement is refused
     */
    public synchronized List<String> retireVersion(String model, long version, boolean force) {
        RegistryKeys.checkName("model", model);
        String key = RegistryKeys.version(model, version);
        awaitCaughtUp("retire version " + version + " of model '" + model + "'");
        RegistryView.ModelState state = follower.view().stateOrNull(model);
        if (state == null || state.versions().isEmpty()) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        List<String> aliases = RegistryEdits.aliasesRetiredWith(model, version, force, state);
        List<String> keys = new ArrayList<>();
        aliases.forEach(a -> keys.add(RegistryKeys.alias(model, a)));
        keys.add(key); // last: no alias ever points at a missing version in between
        writer.sendAll(keys);
        LOG.info(
                "retired version {} of model '{}'{}",
                version,
                model,
                aliases.isEmpty() ? "" : " and its aliases " + aliases);
        return List.copyOf(aliases);
    }

    /** Deletes an alias (scoring follows the latest version again once {@code champion} is removed); false if it was not set. */
    public synchronized boolean removeAlias(String model, String alias) {
        String key = RegistryKeys.alias(model, alias);
        awaitCaughtUp("remove alias " + model + "@" + alias);
        if (!follower.view().aliases(model).containsKey(alias)) {
            return false;
        }
        writer.await(writer.send(key, null), key, System.nanoTime() + timeout.toNanos());
        return true;
    }

    /**
     * Deletes a model: tombstones its spec (scoring stops at once), its aliases and all its versions.
     * A train function still running for it may publish versions again; stop it first.
     *
     * @return the number of registry records deleted
     */
    public synchronized int retire(String model) {
        RegistryKeys.checkName("model", model);
        awaitCaughtUp("retire model '" + model + "'");
        RegistryView.ModelState state = follower.view().stateOrNull(model);
        if (state == null) {
            throw new IllegalArgumentException("unknown model '" + model + "'");
        }
        List<String> keys = new ArrayList<>();
        if (state.spec() != null) {
            keys.add(RegistryKeys.spec(model));
        }
        state.aliases().keySet().forEach(a -> keys.add(RegistryKeys.alias(model, a)));
        state.versions().keySet().forEach(v -> keys.add(RegistryKeys.version(model, v)));
        writer.sendAll(keys);
        LOG.info("retired model '{}' ({} registry records deleted)", model, keys.size());
        return keys.size();
    }

    /**
     * Deletes old versions of a model, keeping the newest {@code keepLatest} and every version an
     * alias points at. Versions are otherwise kept forever (the topic is compacted, not deleted).
     *
     * @return the number of versions deleted
     */
    public synchronized int prune(String model, int keepLatest) {
        if (keepLatest < 1) {
            throw new IllegalArgumentException("keepLatest must be at least 1, not " + keepLatest);
        }
        awaitCaughtUp("prune model '" + model + "'");
        List<String> keys = RegistryEdits.prunedKeys(
                model,
                follower.view().versions(model),
                follower.view().aliases(model).values(),
                keepLatest);
        writer.sendAll(keys);
        return keys.size();
    }

    // ---------------------------------------------------------------- reads

    public Optional<ModelSpec> spec(String name) {
        awaitCaughtUp("read the spec of model '" + name + "'");
        return follower.view().spec(name);
    }

    /** Names of all models (with a spec or a version), sorted. */
    public List<String> models() {
        awaitCaughtUp("list models");
        return List.copyOf(follower.view().models());
    }

    public NavigableMap<Long, ModelVersion> versions(String name) {
        awaitCaughtUp("list versions of model '" + name + "'");
        return follower.view().versions(name);
    }

    public Optional<ModelVersion> version(String name, long version) {
        awaitCaughtUp("read version " + version + " of model '" + name + "'");
        return follower.view().version(name, version);
    }

    public Optional<ModelVersion> latest(String name) {
        awaitCaughtUp("read the latest version of model '" + name + "'");
        return follower.view().latest(name);
    }

    public Map<String, Long> aliases(String name) {
        awaitCaughtUp("read aliases of model '" + name + "'");
        return follower.view().aliases(name);
    }

    /** The version scoring uses: the champion's if set and present, else the latest. */
    public Optional<ModelVersion> serving(String name) {
        awaitCaughtUp("read the serving version of model '" + name + "'");
        return follower.view().serving(name);
    }

    /**
     * Resolves {@code NAME} (the serving version: champion, else latest), {@code NAME@ALIAS} or
     * {@code NAME:VERSION}. Empty if the model, alias or version does not exist.
     *
     * @throws IllegalArgumentException if {@code ref} has none of these forms
     */
    public Optional<ModelVersion> resolve(String ref) {
        ModelRef parsed = ModelRef.parse(ref);
        awaitCaughtUp("resolve '" + ref + "'");
        RegistryView view = follower.view();
        if (parsed.alias() != null) {
            Long v = view.aliases(parsed.model()).get(parsed.alias());
            return v == null ? Optional.empty() : view.version(parsed.model(), v);
        }
        if (parsed.version() >= 0) {
            return view.version(parsed.model(), parsed.version());
        }
        return view.serving(parsed.model());
    }

    private void awaitCaughtUp(String action) {
        writer.checkOpen();
        if (!follower.awaitCaughtUp(timeout)) {
            String why = follower.problem().orElse("the broker could not be reached or is too slow");
            throw new RegistryUnavailableException("cannot " + action + ": the registry topic " + topic
                    + " could not be read from the Kafka broker at " + writer.bootstrap() + " within "
                    + writer.seconds() + " (" + why + ")");
        }
    }

    /** Closes the producer, the admin client and the follower; in-flight reads fail. */
    @Override
    public void close() {
        follower.close();
        writer.close();
    }
}
