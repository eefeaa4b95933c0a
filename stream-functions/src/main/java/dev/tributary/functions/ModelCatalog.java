package dev.tributary.functions;

import dev.tributary.registry.ModelCache;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What the functions know of the registry: the view that follows the registry topic, the
 * decoded serving version of each model, and a way to wait until the view has caught up.
 */
public final class ModelCatalog {
    /** How long a model found unknown after a catch-up stays unknown without asking the broker again. */
    static final long UNKNOWN_FOR_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RegistryView view;
    private final ModelCache<ServingModel> cache;
    private final Function<Duration, Boolean> awaitCaughtUp;
    private final LongSupplier nanoClock;
    /** Models found unknown after the view caught up, with when; any change to a model drops its entry. */
    private final ConcurrentHashMap<String, Long> unknownSince = new ConcurrentHashMap<>();

    private final AtomicLong catchUps = new AtomicLong();
    private final ShadowScorer shadows;

    /**
     * @param awaitCaughtUp blocks up to the given time until the view has applied the registry
     *     topic up to its current end; returns whether it has
     */
    public ModelCatalog(RegistryView view, Function<Duration, Boolean> awaitCaughtUp) {
        this(view, awaitCaughtUp, System::nanoTime);
    }

    /**
     * @param nanoClock the clock, in nanoseconds, that says how long an unknown model has been
     *     remembered as unknown ({@link System#nanoTime} in production)
     */
    public ModelCatalog(RegistryView view, Function<Duration, Boolean> awaitCaughtUp, LongSupplier nanoClock) {
        this.view = view;
        this.awaitCaughtUp = awaitCaughtUp;
        this.nanoClock = nanoClock;
        view.addListener(unknownSince::remove);
        this.shadows = new ShadowScorer(view);
        this.cache = new ModelCache<>(
                view,
                version -> ServingModel.decode(
                        view.spec(version.getModel())
                                .orElseThrow(() -> new IllegalStateException(
                                        "version of model '" + version.getModel() + "' without a spec")),
                        version));
    }

    /**
     * The decoded version scoring should use now, or null when the model is unknown.
     *
     * @throws ModelCache.ModelUnusableException when its version cannot be decoded
     */
    public ServingModel serving(String model) {
        ModelCache.Served<ServingModel> served = cache.get(model);
        return served == null ? null : served.model();
    }

    /**
     * What {@link #lookup} found.
     *
     * @param model the decoded serving version, or null
     * @param registryRead whether the view had caught up with the registry topic: a null model is then
     *     unknown, while without it the model may exist but not have been read yet
     */
    public record Lookup(ServingModel model, boolean registryRead) {}

    /**
     * The decoded version scoring should use now; for a model the view does not know, first waits up to
     * {@code wait} for the view to catch up with the registry topic (the model may have been created a
     * moment ago). A model still unknown after that is remembered for {@link #UNKNOWN_FOR_NANOS} or until
     * the registry changes it, so a stream of events for a model that does not exist costs one catch-up
     * per second, not one per event.
     *
     * @return the serving model, or null when the model is unknown or the view could not catch up in time
     * @throws ModelCache.ModelUnusableException when its version cannot be decoded
     */
    public ServingModel servingOrWait(String model, Duration wait) {
        return lookup(model, wait).model();
    }

    /**
     * A thread's last {@link #servingOrWait(String, Duration, LastServed)} answer and the registry view's
     * state of the model it came from. The view replaces a model's state on every change (spec, versions,
     * aliases), so while it holds that same state the answer stands. Not thread-safe: one per thread.
     */
    public static final class LastServed {
        private String model;
        private RegistryView.ModelState state;
        private ServingModel serving;

        /** Whether the model served last may have shadow versions: false only when its remembered state has no alias. */
        public boolean mayBeShadowed() {
            return state == null || !state.aliases().isEmpty();
        }
    }

    /**
     * {@link #servingOrWait(String, Duration)}, answered from {@code last} while the view holds the state
     * it was answered from: one map lookup for an event of the model scored before, instead of three.
     */
    public ServingModel servingOrWait(String model, Duration wait, LastServed last) {
        RegistryView.ModelState state = view.stateOrNull(model); // read first: a newer state is another object
        if (state != null && state == last.state && model.equals(last.model)) {
            return last.serving;
        }
        last.state = null;
        ServingModel serving = servingOrWait(model, wait);
        if (serving != null && state != null && view.stateOrNull(model) == state) {
            last.model = model;
            last.serving = serving;
            last.state = state;
        }
        return serving;
    }

    /**
     * {@link #servingOrWait}, telling a model that does not exist from one the view has not read yet
     * (it could not catch up within {@code wait}).
     *
     * @throws ModelCache.ModelUnusableException when its version cannot be decoded
     */
    public Lookup lookup(String model, Duration wait) {
        ServingModel serving = serving(model);
        if (serving != null) {
            return new Lookup(serving, true);
        }
        Long since = unknownSince.get(model);
        if (since != null && nanoClock.getAsLong() - since < UNKNOWN_FOR_NANOS) {
            return new Lookup(null, true);
        }
        catchUps.incrementAndGet();
        if (!awaitCaughtUp(wait)) {
            return new Lookup(null, false);
        }
        serving = serving(model);
        if (serving == null) {
            unknownSince.put(model, nanoClock.getAsLong());
        }
        return new Lookup(serving, true);
    }

    /** How many times an unknown model made this catalog wait for the registry view to catch up. */
    long catchUps() {
        return catchUps.get();
    }

    /** Scores events with each model's shadow versions (its challenger and the spec's shadow aliases). */
    public ShadowScorer shadows() {
        return shadows;
    }

    /** How many versions have been decoded into a {@link ServingModel} so far (each served version once). */
    public long decodeCount() {
        return cache.decodeCount();
    }

    /** How many models have a decoded version held. */
    public int cachedModels() {
        return cache.size();
    }

    public Optional<ModelSpec> spec(String model) {
        return view.spec(model);
    }

    public Optional<ModelVersion> latest(String model) {
        return view.latest(model);
    }

    public Optional<ModelVersion> version(String model, long version) {
        return view.version(model, version);
    }

    /** Alias name to version number, as the view has them now. */
    public Map<String, Long> aliases(String model) {
        return view.aliases(model);
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return awaitCaughtUp.apply(timeout);
    }
}
