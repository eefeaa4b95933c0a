package dev.tributary.registry;

import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry topic in memory: every model's spec, versions and aliases, as of the records
 * {@link #apply applied} so far. Knows nothing of Kafka; a {@link RegistryFollower} (or a Kafka
 * Streams global store) feeds it.
 *
 * <p>Thread-safe. Reads are lock-free and cheap: each model is one immutable {@link ModelState}
 * in a {@link ConcurrentHashMap}, replaced as a whole on every write (copy-on-write per model;
 * writes are rare). {@link #serving} is precomputed on write, so the per-event path is one map
 * lookup. Listeners run on the writing thread after the new state is visible.
 *
 * <p>The alias {@value #CHAMPION} decides what is served: its version if set and present, else
 * the latest version.
 *
 * <p>A view made by {@link #releasingOldWeights} (the functions and the gateway use one) keeps whole
 * only each model's newest versions and those an alias points at; older versions keep their
 * metadata and metrics but release their weights, scaler and optimizer state, so memory does not
 * grow with every version published. {@link ModelRegistry#setAlias} and {@link
 * ModelRegistry#rollback} send the target version again just before the alias, so such a view holds
 * it whole when the alias arrives.
 */
public final class RegistryView {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryView.class);

    /** The alias that scoring follows when it is set. */
    public static final String CHAMPION = "champion";

    /**
     * Everything known about one model at one moment. Immutable.
     *
     * @param model the model name
     * @param spec its spec, or null if not (yet, or no longer) known
     * @param versions its versions by number (unmodifiable)
     * @param aliases alias name to version number (unmodifiable; may point at a missing version)
     * @param serving the version scoring uses: the champion's if set and present, else the latest; null if none
     */
    public record ModelState(
            String model,
            ModelSpec spec,
            NavigableMap<Long, ModelVersion> versions,
            Map<String, Long> aliases,
            ModelVersion serving) {

        static ModelState of(
                String model, ModelSpec spec, TreeMap<Long, ModelVersion> versions, Map<String, Long> aliases) {
            Long champion = aliases.get(CHAMPION);
            ModelVersion serving = champion != null ? versions.get(champion) : null;
            if (serving == null && !versions.isEmpty()) {
                serving = versions.lastEntry().getValue();
            }
            return new ModelState(
                    model,
                    spec,
                    Collections.unmodifiableNavigableMap(versions),
                    Collections.unmodifiableMap(aliases),
                    serving);
        }

        boolean isEmpty() {
            return spec == null && versions.isEmpty() && aliases.isEmpty();
        }

        /** A model "exists" once it has a spec or a version. */
        public boolean exists() {
            return spec != null || !versions.isEmpty();
        }
    }

    private static final java.nio.ByteBuffer NO_BYTES =
            java.nio.ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final ConcurrentHashMap<String, ModelState> models = new ConcurrentHashMap<>();
    /** Versions per model kept whole besides the aliased ones. */
    private final int keepWhole;

    /** A view that keeps every version whole (what registry clients and tools need). */
    public RegistryView() {
        this(Integer.MAX_VALUE);
    }

    private RegistryView(int keepWhole) {
        if (keepWhole < 1) {
            throw new IllegalArgumentException("keepLatest must be at least 1, not " + keepWhole);
        }
        this.keepWhole = keepWhole;
    }

    /**
     * A view for serving processes: of each model, the newest {@code keepLatest} versions and every
     * aliased one stay whole; the weights of older ones are released ({@link #isReleased}).
     */
    public static RegistryView releasingOldWeights(int keepLatest) {
        return new RegistryView(keepLatest);
    }

    /** The view of a serving process: the newest two versions of each model and its aliased ones whole. */
    public static RegistryView forServing() {
        return releasingOldWeights(2);
    }

    /** Whether this is a version whose weights a {@link #releasingOldWeights} view released. */
    public static boolean isReleased(ModelVersion version) {
        return version.getWeights().remaining() == 0;
    }

    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();

    /**
     * Applies one registry record: {@code value} null is a tombstone that deletes what the key
     * addresses. The key decides what is written; the value must agree with it (same model, same
     * version or alias), else {@link IllegalArgumentException} and nothing changes.
     */
    public void apply(String key, RegistryRecord value) {
        RegistryKeys.Key k = RegistryKeys.parse(key);
        Object entry = value == null ? null : value.getEntry();
        if (value != null) {
            check(k, entry);
        }
        synchronized (writeLock) {
            ModelState old = models.get(k.model());
            ModelSpec spec = old == null ? null : old.spec();
            TreeMap<Long, ModelVersion> versions = old == null ? new TreeMap<>() : new TreeMap<>(old.versions());
            Map<String, Long> aliases = old == null ? new HashMap<>() : new HashMap<>(old.aliases());
            switch (k.kind()) {
                case SPEC -> spec = (ModelSpec) entry;
                case VERSION -> {
                    if (entry == null) {
                        versions.remove(k.version());
                    } else {
                        versions.put(k.version(), (ModelVersion) entry);
                        releaseOld(versions, aliases, k.version());
                    }
                }
                case ALIAS -> {
                    if (entry == null) {
                        aliases.remove(k.alias());
                    } else {
                        long target = ((ModelAlias) entry).getVersion();
                        aliases.put(k.alias(), target);
                        ModelVersion v = versions.get(target);
                        if (v != null && isReleased(v)) {
                            LOG.warn(
                                    "alias '{}' of model '{}' points at version {}, whose weights this instance released (it keeps "
                                            + "the newest {} versions and aliased ones whole); set aliases with 'tributary models alias', which "
                                            + "sends the version again first",
                                    k.alias(),
                                    k.model(),
                                    target,
                                    keepWhole);
                        }
                    }
                }
            }
            ModelState next = ModelState.of(k.model(), spec, versions, aliases);
            if (next.isEmpty()) {
                models.remove(k.model());
            } else {
                models.put(k.model(), next);
            }
        }
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(k.model());
            } catch (RuntimeException e) {
                LOG.warn("registry listener {} failed for model '{}': {}", listener, k.model(), e.toString(), e);
            }
        }
    }

    /** Releases the weights of versions beyond the newest {@link #keepWhole}, except aliased ones and the one just applied. */
    private void releaseOld(TreeMap<Long, ModelVersion> versions, Map<String, Long> aliases, long justApplied) {
        if (versions.size() <= keepWhole) {
            return;
        }
        int newer = 0;
        List<Long> release = new java.util.ArrayList<>();
        for (Map.Entry<Long, ModelVersion> e : versions.descendingMap().entrySet()) {
            if (newer++ >= keepWhole
                    && e.getKey() != justApplied
                    && !aliases.containsValue(e.getKey())
                    && !isReleased(e.getValue())) {
                release.add(e.getKey());
            }
        }
        release.forEach(v -> versions.put(v, released(versions.get(v))));
    }

    private static ModelVersion released(ModelVersion v) {
        ModelVersion copy = new ModelVersion();
        for (int i = 0; i < ModelVersion.getClassSchema().getFields().size(); i++) {
            copy.put(i, v.get(i)); // shallow: shares the small fields, drops the large ones below
        }
        copy.setWeights(NO_BYTES);
        copy.setScaler(null);
        copy.setOptimizerState(
                new dev.tributary.schema.OptimizerState(v.getOptimizerState().getKind(), Map.of(), Map.of()));
        return copy;
    }

    private static void check(RegistryKeys.Key k, Object entry) {
        switch (k.kind()) {
            case SPEC -> {
                if (!(entry instanceof ModelSpec spec) || !k.model().equals(spec.getName())) {
                    throw mismatch(k, entry);
                }
            }
            case VERSION -> {
                if (!(entry instanceof ModelVersion v)
                        || !k.model().equals(v.getModel())
                        || v.getVersion() != k.version()) {
                    throw mismatch(k, entry);
                }
            }
            case ALIAS -> {
                if (!(entry instanceof ModelAlias a)
                        || !k.model().equals(a.getModel())
                        || !k.alias().equals(a.getAlias())) {
                    throw mismatch(k, entry);
                }
            }
        }
    }

    private static IllegalArgumentException mismatch(RegistryKeys.Key k, Object entry) {
        String what;
        if (entry == null) {
            what = "null";
        } else if (entry instanceof ModelSpec s) {
            what = "ModelSpec '" + s.getName() + "'";
        } else if (entry instanceof ModelVersion v) {
            what = "ModelVersion " + v.getModel() + ":" + v.getVersion();
        } else if (entry instanceof ModelAlias a) {
            what = "ModelAlias " + a.getModel() + "@" + a.getAlias();
        } else {
            what = entry.getClass().getSimpleName();
        }
        return new IllegalArgumentException(
                "registry key '" + k.toKeyString() + "' does not match its value (" + what + ")");
    }

    /** The whole state of one model, or null: one lock-free map lookup, no allocation. */
    public ModelState stateOrNull(String model) {
        return model == null ? null : models.get(model);
    }

    public Optional<ModelState> state(String model) {
        return Optional.ofNullable(stateOrNull(model));
    }

    public Optional<ModelSpec> spec(String model) {
        ModelState s = stateOrNull(model);
        return s == null ? Optional.empty() : Optional.ofNullable(s.spec());
    }

    /** Names of the models that have a spec or a version, sorted. */
    public SortedSet<String> models() {
        TreeSet<String> names = new TreeSet<>();
        models.forEach((name, s) -> {
            if (s.exists()) {
                names.add(name);
            }
        });
        return Collections.unmodifiableSortedSet(names);
    }

    /** The model's versions by number: an immutable snapshot (empty if the model is unknown). */
    public NavigableMap<Long, ModelVersion> versions(String model) {
        ModelState s = stateOrNull(model);
        return s == null ? Collections.emptyNavigableMap() : s.versions();
    }

    public Optional<ModelVersion> version(String model, long version) {
        ModelState s = stateOrNull(model);
        return s == null ? Optional.empty() : Optional.ofNullable(s.versions().get(version));
    }

    /** The highest-numbered version. */
    public Optional<ModelVersion> latest(String model) {
        ModelState s = stateOrNull(model);
        return s == null || s.versions().isEmpty()
                ? Optional.empty()
                : Optional.of(s.versions().lastEntry().getValue());
    }

    /** Alias name to version number: an immutable snapshot. An alias may point at a version not (or no longer) present. */
    public Map<String, Long> aliases(String model) {
        ModelState s = stateOrNull(model);
        return s == null ? Map.of() : s.aliases();
    }

    /** The version {@value #CHAMPION} points at if set and present, else the latest. */
    public Optional<ModelVersion> serving(String model) {
        ModelState s = stateOrNull(model);
        return s == null ? Optional.empty() : Optional.ofNullable(s.serving());
    }

    /** Calls {@code modelChanged} with the model name after every {@link #apply} (on the applying thread). */
    public void addListener(Consumer<String> modelChanged) {
        listeners.add(Objects.requireNonNull(modelChanged, "modelChanged"));
    }

    public void removeListener(Consumer<String> modelChanged) {
        listeners.remove(modelChanged);
    }

    /** For diagnostics: model names known in any form, including those with only aliases. */
    List<String> allNames() {
        return List.copyOf(new TreeSet<>(models.keySet()));
    }
}
