package dev.tributary.registry;

import dev.tributary.schema.AvroTrust;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

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

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final RegistrySession session;
    private final VersionPublishing publishing;
    private final AliasMoves aliasMoves;
    private final Retirements retirements;

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
        this.session = new RegistrySession(clientProperties, topic, timeout);
        this.publishing = new VersionPublishing(session);
        this.aliasMoves = new AliasMoves(session);
        this.retirements = new Retirements(session);
    }

    public String topic() {
        return session.topic();
    }

    /** The live view this client reads (it may lag the topic; the read methods here wait for it). */
    public RegistryView view() {
        return session.liveView();
    }

    // ---------------------------------------------------------------- writes

    /**
     * Creates the compacted registry topic if it is missing (idempotent). Warns if an existing topic
     * is not compacted or has a lower {@code max.message.bytes} than the registry needs.
     */
    public void ensureTopic() {
        session.writer().ensureTopic();
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
        return publishing.createModel(spec);
    }

    /**
     * Publishes a new version of an existing model.
     *
     * @throws IllegalArgumentException if the model is unknown, the version number is taken (versions
     *     are immutable), its weights do not match its features, or it is larger than a registry record may be
     */
    public synchronized void publishVersion(ModelVersion version) {
        publishing.publishVersion(version);
    }

    /**
     * Points {@code alias} of {@code model} at an existing version ({@link RegistryView#CHAMPION}
     * decides what is scored; moving it back is a rollback).
     */
    public synchronized void setAlias(String model, String alias, long version) {
        aliasMoves.setAlias(model, alias, version);
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
        return aliasMoves.rollback(model, to);
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
        return retirements.retireVersion(model, version, force);
    }

    /** Deletes an alias (scoring follows the latest version again once {@code champion} is removed); false if it was not set. */
    public synchronized boolean removeAlias(String model, String alias) {
        return aliasMoves.removeAlias(model, alias);
    }

    /**
     * Deletes a model: tombstones its spec (scoring stops at once), its aliases and all its versions.
     * A train function still running for it may publish versions again; stop it first.
     *
     * @return the number of registry records deleted
     */
    public synchronized int retire(String model) {
        return retirements.retire(model);
    }

    /**
     * Deletes old versions of a model, keeping the newest {@code keepLatest} and every version an
     * alias points at. Versions are otherwise kept forever (the topic is compacted, not deleted).
     *
     * @return the number of versions deleted
     */
    public synchronized int prune(String model, int keepLatest) {
        return retirements.prune(model, keepLatest);
    }

    // ---------------------------------------------------------------- reads

    public Optional<ModelSpec> spec(String name) {
        return session.caughtUp("read the spec of model '" + name + "'").spec(name);
    }

    /** Names of all models (with a spec or a version), sorted. */
    public List<String> models() {
        return List.copyOf(session.caughtUp("list models").models());
    }

    public NavigableMap<Long, ModelVersion> versions(String name) {
        return session.caughtUp("list versions of model '" + name + "'").versions(name);
    }

    public Optional<ModelVersion> version(String name, long version) {
        return session.caughtUp("read version " + version + " of model '" + name + "'")
                .version(name, version);
    }

    public Optional<ModelVersion> latest(String name) {
        return session.caughtUp("read the latest version of model '" + name + "'")
                .latest(name);
    }

    public Map<String, Long> aliases(String name) {
        return session.caughtUp("read aliases of model '" + name + "'").aliases(name);
    }

    /** The version scoring uses: the champion's if set and present, else the latest. */
    public Optional<ModelVersion> serving(String name) {
        return session.caughtUp("read the serving version of model '" + name + "'")
                .serving(name);
    }

    /**
     * Resolves {@code NAME} (the serving version: champion, else latest), {@code NAME@ALIAS} or
     * {@code NAME:VERSION}. Empty if the model, alias or version does not exist.
     *
     * @throws IllegalArgumentException if {@code ref} has none of these forms
     */
    public Optional<ModelVersion> resolve(String ref) {
        ModelRef parsed = ModelRef.parse(ref);
        RegistryView view = session.caughtUp("resolve '" + ref + "'");
        if (parsed.alias() != null) {
            Long v = view.aliases(parsed.model()).get(parsed.alias());
            return v == null ? Optional.empty() : view.version(parsed.model(), v);
        }
        if (parsed.version() >= 0) {
            return view.version(parsed.model(), parsed.version());
        }
        return view.serving(parsed.model());
    }

    /** Closes the producer, the admin client and the follower; in-flight reads fail. */
    @Override
    public void close() {
        session.close();
    }
}
