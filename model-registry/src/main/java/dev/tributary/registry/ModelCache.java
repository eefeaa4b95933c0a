package dev.tributary.registry;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoded model each model name is served by, following a {@link RegistryView}: scorers call
 * {@link #get} per event.
 *
 * <ul>
 *   <li>Each served version is decoded once (by the decoder given, for example a learner built
 *       from the version), lazily on the first lookup after it becomes the served one.</li>
 *   <li>{@link #get} never returns a version other than the one the view serves at the time of
 *       the call. Its hot path is two lock-free map lookups (the view's state of the model and the
 *       cache's entry) and a reference compare: no decoding, no allocation. {@link #serving} wraps
 *       the result in an {@link Optional}.</li>
 *   <li>Only the currently served decoded version of each model is kept. When the view serves
 *       another version, the next lookup decodes it and the old decoded model is released (until
 *       then the old one is kept as the fallback below). When a model's spec changes or the model
 *       disappears, the view's listener drops its entry at once.</li>
 *   <li>A model is served once the view has its spec and at least one version.</li>
 *   <li>If decoding a version fails, the failure is logged once and the previously served decoded
 *       version (if any, of the same spec) stays in service; with none, {@link #get} throws the
 *       same {@link ModelUnusableException} on every lookup (without decoding again) until the view
 *       changes.</li>
 * </ul>
 *
 * <p>Knows nothing of Kafka. Thread-safe. A scorer that finds no model should not declare it
 * unknown before the view has caught up with the registry topic:
 *
 * <pre>{@code
 * RegistryFollower follower = new RegistryFollower(clientProperties, topics.models()).start();
 * ModelCache<Learner> cache = new ModelCache<>(follower.view(), Learners::fromVersion);
 * ...
 * ModelCache.Served<Learner> served = cache.get(event.getModel());
 * if (served == null && follower.awaitCaughtUp(Duration.ofSeconds(2))) {
 *   served = cache.get(event.getModel()); // still null: the model really is unknown
 * }
 * }</pre>
 *
 * @param <T> the decoded form of a version
 */
public final class ModelCache<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    /** A served model: the spec, the registry version, and its decoded form. */
    public record Served<T>(ModelSpec spec, ModelVersion version, T model) {}

    /** The served version of a model could not be decoded and no earlier one is available. */
    public static final class ModelUnusableException extends RuntimeException {
        ModelUnusableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What the cache holds for one model.
     *
     * @param state the view's state this entry was last checked against (identity)
     * @param versionNumber the number of the version that state serves
     * @param served the decoded version served: that one, or an earlier good one if it failed; or null
     * @param failure why {@code versionNumber} could not be decoded, or null
     */
    private record Entry<T>(
            RegistryView.ModelState state, long versionNumber, Served<T> served, ModelUnusableException failure) {

        /** Same spec and same served version number: the decoded model is still the right one. */
        boolean stillServes(RegistryView.ModelState s) {
            return s != null
                    && s.spec() == state.spec()
                    && s.serving() != null
                    && s.serving().getVersion() == versionNumber;
        }
    }

    private final RegistryView view;
    private final Function<ModelVersion, T> decoder;
    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final AtomicLong decodes = new AtomicLong();
    private final Consumer<String> listener = this::modelChanged;

    public ModelCache(RegistryView view, Function<ModelVersion, T> decoder) {
        this.view = Objects.requireNonNull(view, "view");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        view.addListener(listener);
    }

    /**
     * The served model, or null if the view has no spec or no version of it. Decodes only the first
     * time a version is asked for.
     *
     * @throws ModelUnusableException if the served version cannot be decoded and no earlier one was
     */
    public Served<T> get(String model) {
        if (model == null) {
            return null;
        }
        RegistryView.ModelState s = view.stateOrNull(model);
        if (s == null) {
            return null; // unknown models are not cached: no growth from junk names
        }
        Entry<T> e = entries.get(model);
        if (e == null || e.state() != s) {
            e = entries.compute(model, this::refresh);
            if (e == null) {
                return null;
            }
        }
        Served<T> served = e.served();
        if (served == null) {
            throw e.failure();
        }
        return served;
    }

    /** {@link #get} wrapped in an Optional (one allocation when present). */
    public Optional<Served<T>> serving(String model) {
        return Optional.ofNullable(get(model));
    }

    /** How many versions have been decoded so far (for metrics and tests). */
    public long decodeCount() {
        return decodes.get();
    }

    /** How many models have a decoded version held (for metrics and tests). */
    public int size() {
        return entries.size();
    }

    /** Every decoded model the cache holds a reference to: one per model at most, so an old version can be collected. */
    java.util.List<T> held() {
        return entries.values().stream()
                .map(Entry::served)
                .filter(java.util.Objects::nonNull)
                .map(Served::model)
                .toList();
    }

    /** Stops following the view and drops every decoded model. */
    @Override
    public void close() {
        view.removeListener(listener);
        entries.clear();
    }

    /** Runs under the map's lock for {@code model}: keeps a still-right entry, otherwise decodes. */
    private Entry<T> refresh(String model, Entry<T> old) {
        RegistryView.ModelState s = view.stateOrNull(model);
        if (s == null || s.spec() == null || s.serving() == null) {
            return null;
        }
        if (old != null && old.stillServes(s)) {
            return old.state() == s ? old : new Entry<>(s, old.versionNumber(), old.served(), old.failure());
        }
        ModelVersion version = s.serving();
        decodes.incrementAndGet();
        try {
            T decoded = decoder.apply(version);
            if (decoded == null) {
                throw new IllegalStateException("the decoder returned null");
            }
            return new Entry<>(s, version.getVersion(), new Served<>(s.spec(), version, decoded), null);
        } catch (RuntimeException ex) {
            Served<T> previous =
                    old != null && old.served() != null && old.state().spec() == s.spec() ? old.served() : null;
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            ModelUnusableException failure = new ModelUnusableException(
                    "version " + version.getVersion() + " of model '" + model + "' cannot be used: " + reason, ex);
            if (previous != null) {
                LOG.warn(
                        "{}; still serving version {}",
                        failure.getMessage(),
                        previous.version().getVersion());
            } else {
                LOG.warn("{}; no earlier version to serve", failure.getMessage());
            }
            return new Entry<>(s, version.getVersion(), previous, failure);
        }
    }

    /**
     * The view's listener: drops the entry of a model whose spec changed or that is no longer
     * served. An entry whose version is merely superseded stays until the next lookup replaces it,
     * as the fallback should the new version fail to decode.
     */
    private void modelChanged(String model) {
        entries.computeIfPresent(model, (name, e) -> {
            RegistryView.ModelState s = view.stateOrNull(name);
            boolean gone = s == null || s.spec() != e.state().spec() || s.serving() == null;
            return gone ? null : e;
        });
    }
}
