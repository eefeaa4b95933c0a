package dev.tributary.registry;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.Promotion;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.WriterSchemas;
import dev.tributary.schema.Topics;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private final String topic;
  private final Duration timeout;
  private final String bootstrap;
  private final Map<String, Object> clientProperties;
  private final KafkaProducer<byte[], byte[]> producer;
  private final RegistryFollower follower;
  private final AvroCodec<RegistryRecord> codec = TributarySerdes.registryRecord().codec();
  private Admin admin;
  private volatile boolean topicEnsured;
  private volatile boolean closed;

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
    this.topic = Objects.requireNonNull(topic, "topic");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, not " + timeout);
    }
    this.clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
    Object servers = clientProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null) {
      throw new IllegalArgumentException("the client properties have no bootstrap.servers");
    }
    this.bootstrap = String.valueOf(servers);
    try {
      this.producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new RegistryUnavailableException("cannot connect to the Kafka broker at " + bootstrap + ": "
          + rootMessage(e), e);
    }
    this.follower = new RegistryFollower(this.clientProperties, topic);
    follower.start();
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.REGISTRY_MAX_MESSAGE_BYTES);
    // One record may be as large as the registry allows; the pool allocates on demand.
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * Topics.REGISTRY_MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) ms);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
    config.put(ProducerConfig.CLIENT_ID_CONFIG,
        config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "tributary") + "-registry-producer-" + System.identityHashCode(this));
    config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    return config;
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
  public synchronized void ensureTopic() {
    checkOpen();
    Admin a = admin();
    String schemas = Topics.schemasOf(topic);
    try {
      Topics.create(a, List.of(Topics.registryTopic(topic), Topics.schemasTopic(schemas)));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
          || e.getCause() instanceof TimeoutException) {
        throw unreachable("create the registry topic " + topic, e.getCause());
      }
      throw e;
    }
    checkTopicConfig(a);
    // Readers of an older release learn this release's record schema before its first record.
    ProducerRecord<byte[], byte[]> schema = WriterSchemas.registration(schemas, RegistryRecord.getClassSchema());
    await(producer.send(schema), schemas, System.nanoTime() + timeout.toNanos());
    topicEnsured = true;
  }

  private void checkTopicConfig(Admin a) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config = a.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
      ConfigEntry policy = config.get("cleanup.policy");
      ConfigEntry maxBytes = config.get("max.message.bytes");
      if (policy != null && !policy.value().contains("compact")) {
        LOG.warn("registry topic {} has cleanup.policy={}: old model versions and specs will be deleted by retention; "
            + "it should be compacted (recreate it or set cleanup.policy=compact)", topic, policy.value());
      }
      if (maxBytes != null && Long.parseLong(maxBytes.value()) < Topics.REGISTRY_MAX_MESSAGE_BYTES) {
        LOG.warn("registry topic {} has max.message.bytes={}, below the {} bytes large models need; "
            + "set max.message.bytes={} on it", topic, maxBytes.value(), Topics.REGISTRY_MAX_MESSAGE_BYTES,
            Topics.REGISTRY_MAX_MESSAGE_BYTES);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("cannot check the configuration of registry topic {}", topic, e);
    }
  }

  private void ensureTopicOnce() {
    if (!topicEnsured) {
      ensureTopic();
    }
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
    ModelSpec published = ModelSpec.newBuilder(spec).setCreatedAt(spec.getCreatedAt() > 0 ? spec.getCreatedAt() : now).build();
    ModelVersion v0 = ModelSpecs.initialVersion(published, now);
    String name = spec.getName();
    byte[] specBytes = encode(published);
    byte[] versionBytes = encode(v0);
    checkSize(RegistryKeys.version(name, 0), versionBytes, "version 0 of model '" + name + "'");

    ensureTopicOnce();
    awaitCaughtUp("create model '" + name + "'");
    RegistryView.ModelState state = follower.view().stateOrNull(name);
    if (state != null && state.spec() != null) {
      throw new IllegalArgumentException("model '" + name + "' already exists; pick another name or retire it");
    }
    if (state != null && !state.versions().isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' was retired but versions " + state.versions().keySet()
          + " of it are still in the registry; retire it again (a trainer may still be running for it) or pick another name");
    }
    Future<RecordMetadata> specSent = send(RegistryKeys.spec(name), specBytes);
    Future<RecordMetadata> versionSent = send(RegistryKeys.version(name, 0), versionBytes);
    // With AUTO promotion, champion is always set, so scoring never follows a version the gate refused.
    String championKey = RegistryKeys.alias(name, RegistryView.CHAMPION);
    Future<RecordMetadata> championSent = Promotion.isAuto(published)
        ? send(championKey, encode(alias(name, RegistryView.CHAMPION, 0, now)))
        : null;
    long deadline = System.nanoTime() + timeout.toNanos();
    await(specSent, RegistryKeys.spec(name), deadline);
    await(versionSent, RegistryKeys.version(name, 0), deadline);
    if (championSent != null) {
      await(championSent, championKey, deadline);
    }
    LOG.info("created model '{}' ({}, {} weights, {} promotion) with version 0", name, spec.getAlgorithm(),
        v0.getWeights().remaining() / Double.BYTES, published.getPromotion());
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
    byte[] bytes = encode(version);
    checkSize(key, bytes, "version " + version.getVersion() + " of model '" + name + "'");
    awaitCaughtUp("publish version " + version.getVersion() + " of model '" + name + "'");
    RegistryView.ModelState state = follower.view().stateOrNull(name);
    if (state == null || state.spec() == null) {
      throw new IllegalArgumentException("unknown model '" + name + "': create it before publishing versions of it");
    }
    if (state.versions().containsKey(version.getVersion())) {
      throw new IllegalArgumentException("version " + version.getVersion() + " of model '" + name
          + "' already exists and versions are immutable; publish " + (state.versions().lastKey() + 1) + " instead");
    }
    ensureTopicOnce();
    await(send(key, bytes), key, System.nanoTime() + timeout.toNanos());
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
      throw new IllegalArgumentException("model '" + model + "' has no version " + version
          + " (it has " + describe(versions.keySet()) + ")");
    }
    pointAlias(model, alias, versions.get(version));
  }

  /**
   * Sends the version again (same key, same value) and then the alias: a serving view that released
   * the version's weights ({@link RegistryView#releasingOldWeights}) holds it whole again when the
   * alias arrives.
   */
  private void pointAlias(String model, String alias, ModelVersion version) {
    ensureTopicOnce();
    String versionKey = RegistryKeys.version(model, version.getVersion());
    String aliasKey = RegistryKeys.alias(model, alias);
    long deadline = System.nanoTime() + timeout.toNanos();
    Future<RecordMetadata> sentVersion = send(versionKey, encode(version));
    Future<RecordMetadata> sentAlias = send(aliasKey, encode(alias(model, alias, version.getVersion(),
        System.currentTimeMillis())));
    await(sentVersion, versionKey, deadline);
    await(sentAlias, aliasKey, deadline);
  }

  private static ModelAlias alias(String model, String alias, long version, long updatedAt) {
    return ModelAlias.newBuilder().setModel(model).setAlias(alias).setVersion(version).setUpdatedAt(updatedAt).build();
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
    long current = state.serving().getVersion();
    long target;
    List<Long> skipped = new ArrayList<>();
    if (to != null) {
      if (!state.versions().containsKey(to)) {
        throw new IllegalArgumentException("model '" + model + "' has no version " + to + " (it has "
            + describe(state.versions().keySet()) + ")");
      }
      target = to;
    } else {
      Long found = null;
      for (ModelVersion v : state.versions().headMap(current, false).descendingMap().values()) {
        if (Promotion.wasRefused(v)) {
          skipped.add(v.getVersion());
          continue;
        }
        found = v.getVersion();
        break;
      }
      if (found != null && found == 0) {
        throw new IllegalArgumentException("the only version of model '" + model + "' before " + current
            + " to roll back to is version 0, the all-zero weights 'models create' published: every prediction would "
            + "be the same; if scoring should serve it anyway, name it with --to 0");
      }
      if (found == null) {
        throw new IllegalArgumentException("model '" + model + "' has no version before " + current
            + " to roll back to" + (skipped.isEmpty() ? "" : " (versions " + skipped + " were refused by the promotion gate)")
            + "; name one with --to");
      }
      target = found;
    }
    pointAlias(model, RegistryView.CHAMPION, state.versions().get(target));
    LOG.info("model '{}': champion moved from {} to version {}", model,
        champion == null ? "(unset; latest " + current + ")" : "version " + champion, target);
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
    if (!state.versions().containsKey(version)) {
      throw new IllegalArgumentException("model '" + model + "' has no version " + version + " (it has "
          + describe(state.versions().keySet()) + ")");
    }
    if (state.versions().size() == 1) {
      throw new IllegalArgumentException("version " + version + " is the only version of model '" + model
          + "': scoring needs one; retire the whole model instead ('tributary models retire " + model + " --all')");
    }
    Long champion = state.aliases().get(RegistryView.CHAMPION);
    if (champion != null && champion == version && !force) {
      throw new IllegalArgumentException("version " + version + " of model '" + model + "' is the champion, which "
          + "scoring uses; move champion first ('tributary models rollback " + model + "' or 'tributary models alias "
          + model + " champion VERSION'), or retire it anyway with --force (scoring then follows the latest version)");
    }
    List<String> aliases = new ArrayList<>();
    state.aliases().forEach((a, v) -> {
      if (v == version) {
        aliases.add(a);
      }
    });
    aliases.sort(null);
    List<String> keys = new ArrayList<>();
    aliases.forEach(a -> keys.add(RegistryKeys.alias(model, a)));
    keys.add(key); // last: no alias ever points at a missing version in between
    sendAll(keys);
    LOG.info("retired version {} of model '{}'{}", version, model, aliases.isEmpty() ? "" : " and its aliases " + aliases);
    return List.copyOf(aliases);
  }

  /** Deletes an alias (scoring follows the latest version again once {@code champion} is removed); false if it was not set. */
  public synchronized boolean removeAlias(String model, String alias) {
    String key = RegistryKeys.alias(model, alias);
    awaitCaughtUp("remove alias " + model + "@" + alias);
    if (!follower.view().aliases(model).containsKey(alias)) {
      return false;
    }
    await(send(key, null), key, System.nanoTime() + timeout.toNanos());
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
    sendAll(keys);
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
    NavigableMap<Long, ModelVersion> versions = follower.view().versions(model);
    Set<Long> aliased = new HashSet<>(follower.view().aliases(model).values());
    List<String> keys = new ArrayList<>();
    int toDrop = versions.size() - keepLatest;
    for (Long v : versions.keySet()) {
      if (toDrop-- <= 0) {
        break;
      }
      if (!aliased.contains(v)) {
        keys.add(RegistryKeys.version(model, v));
      }
    }
    sendAll(keys);
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
    Ref parsed = Ref.parse(ref);
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

  /** A parsed model reference: {@code NAME}, {@code NAME@ALIAS} or {@code NAME:VERSION}. */
  public record Ref(String model, String alias, long version) {
    public static Ref parse(String ref) {
      String usage = "model reference '" + ref + "' is not NAME, NAME@ALIAS or NAME:VERSION";
      if (ref == null || ref.isEmpty()) {
        throw new IllegalArgumentException(usage);
      }
      int at = ref.indexOf('@');
      int colon = ref.indexOf(':');
      if (at >= 0 && colon >= 0) {
        throw new IllegalArgumentException(usage);
      }
      if (at >= 0) {
        String model = ref.substring(0, at);
        String alias = ref.substring(at + 1);
        if (!RegistryKeys.isValidName(model) || !RegistryKeys.isValidName(alias)) {
          throw new IllegalArgumentException(usage);
        }
        return new Ref(model, alias, -1);
      }
      if (colon >= 0) {
        String model = ref.substring(0, colon);
        String digits = ref.substring(colon + 1);
        if (!RegistryKeys.isValidName(model) || digits.isEmpty() || digits.length() > 19
            || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new IllegalArgumentException(usage);
        }
        return new Ref(model, null, Long.parseLong(digits));
      }
      if (!RegistryKeys.isValidName(ref)) {
        throw new IllegalArgumentException(usage);
      }
      return new Ref(ref, null, -1);
    }
  }

  // ---------------------------------------------------------------- specs and version 0

  private static void checkSize(String key, byte[] value, String what) {
    long size = (long) value.length + key.length();
    if (size > ModelSpecs.REGISTRY_RECORD_LIMIT) {
      throw new IllegalArgumentException(String.format(
          "%s is %,d bytes encoded, over the registry's limit of %,d bytes per record "
              + "(Topics.REGISTRY_MAX_MESSAGE_BYTES); lower the model's hashBits (each bit less halves the hashed weights)",
          what, size, (long) Topics.REGISTRY_MAX_MESSAGE_BYTES));
    }
  }

  // ---------------------------------------------------------------- plumbing

  private byte[] encode(Object entry) {
    return codec.encode(RegistryRecord.newBuilder().setEntry(entry).build());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this ModelRegistry client is closed");
    }
  }

  private Future<RecordMetadata> send(String key, byte[] value) {
    checkOpen();
    try {
      return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable("write " + key, e);
    } catch (KafkaException e) {
      throw new IllegalStateException("could not publish " + key + " to " + topic + ": " + rootMessage(e), e);
    }
  }

  private void sendAll(List<String> tombstoneKeys) {
    if (tombstoneKeys.isEmpty()) {
      return;
    }
    ensureTopicOnce();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (String key : tombstoneKeys) {
      sent.add(send(key, null));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < sent.size(); i++) {
      await(sent.get(i), tombstoneKeys.get(i), deadline);
    }
  }

  private void await(Future<RecordMetadata> sent, String key, long deadlineNanos) {
    try {
      sent.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw unreachable("write " + key, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing " + key + " to " + topic, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable("write " + key, cause);
      }
      if (cause instanceof RecordTooLargeException) {
        throw new IllegalArgumentException("the broker refused " + key + " as too large: " + cause.getMessage()
            + "; the registry topic " + topic + " needs max.message.bytes=" + Topics.REGISTRY_MAX_MESSAGE_BYTES
            + " (see Topics.registryTopic), or lower the model's hashBits", cause);
      }
      throw new IllegalStateException("could not publish " + key + " to " + topic + ": " + rootMessage(cause), cause);
    }
  }

  private void awaitCaughtUp(String action) {
    checkOpen();
    if (!follower.awaitCaughtUp(timeout)) {
      String why = follower.problem().orElse("the broker could not be reached or is too slow");
      throw new RegistryUnavailableException("cannot " + action + ": the registry topic " + topic
          + " could not be read from the Kafka broker at " + bootstrap + " within " + seconds() + " (" + why + ")");
    }
  }

  private RegistryUnavailableException unreachable(String action, Throwable cause) {
    return new RegistryUnavailableException("cannot " + action + ": the Kafka broker at " + bootstrap
        + " could not be reached within " + seconds() + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"),
        cause);
  }

  private String seconds() {
    long ms = timeout.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = Clients.adminConfig(clientProperties, "registry-admin-" + System.identityHashCode(this));
      int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
      try {
        admin = Admin.create(config);
      } catch (KafkaException e) {
        throw new RegistryUnavailableException("cannot connect to the Kafka broker at " + bootstrap + ": " + rootMessage(e), e);
      }
    }
    return admin;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
  }

  private static String describe(Set<Long> versions) {
    if (versions.size() <= 10) {
      return "versions " + versions;
    }
    List<Long> all = new ArrayList<>(versions);
    return versions.size() + " versions, " + all.get(0) + " to " + all.get(all.size() - 1);
  }

  /** Closes the producer, the admin client and the follower; in-flight reads fail. */
  @Override
  public void close() {
    closed = true;
    follower.close();
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing the registry producer", e);
    }
    synchronized (this) {
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
        admin = null;
      }
    }
  }
}
