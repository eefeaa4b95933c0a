package dev.tributary.functions;

import dev.tributary.registry.RegistryView;
import dev.tributary.schema.ModelVersion;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Which version of each model this instance scores with, since when, and how old it is: the
 * freshness of one instance. Follows the instance's {@link RegistryView} (the same view its
 * scorers read), so {@link Served#since} is when a new champion, or a new latest version, reached
 * this instance.
 *
 * <pre>{@code
 * ServedVersions.Served s = functions.servedVersions().of("fraud").orElseThrow();
 * s.version();                                   // 12
 * s.ageMs(System.currentTimeMillis());           // how long ago version 12 was created
 * }</pre>
 *
 * Thread-safe; reads are map lookups.
 */
public final class ServedVersions implements AutoCloseable {
    /**
     * The version one model is served at on this instance.
     *
     * @param model the model
     * @param version the version scoring uses
     * @param viaChampion true if the {@code champion} alias selects it, false if it is simply the latest
     * @param createdAt when the version was created (epoch ms)
     * @param since when this instance started serving it (epoch ms, this instance's clock)
     */
    public record Served(String model, long version, boolean viaChampion, long createdAt, long since) {
        /** How old the served version is at {@code now}. */
        public long ageMs(long now) {
            return Math.max(0, now - createdAt);
        }
    }

    private final RegistryView view;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Served> served = new ConcurrentHashMap<>();
    private final Consumer<String> listener = this::update;

    public ServedVersions(RegistryView view) {
        this(view, System::currentTimeMillis);
    }

    ServedVersions(RegistryView view, LongSupplier clock) {
        this.view = view;
        this.clock = clock;
        view.addListener(listener); // first, so no change between the scan below and the listener is missed
        view.models().forEach(this::update);
    }

    /** The version {@code model} is served at here, if it is served. */
    public Optional<Served> of(String model) {
        return Optional.ofNullable(served.get(model));
    }

    /** Every served model, by name. */
    public Map<String, Served> all() {
        return Collections.unmodifiableMap(new TreeMap<>(served));
    }

    private void update(String model) {
        RegistryView.ModelState state = view.stateOrNull(model);
        ModelVersion v = state == null || state.spec() == null ? null : state.serving();
        if (v == null) {
            served.remove(model);
            return;
        }
        Long champion = state.aliases().get(RegistryView.CHAMPION);
        boolean viaChampion = champion != null && champion == v.getVersion();
        served.compute(
                model,
                (name, old) -> old != null
                                && old.version() == v.getVersion()
                                && old.viaChampion() == viaChampion
                                && old.createdAt() == v.getCreatedAt()
                        ? old
                        : new Served(name, v.getVersion(), viaChampion, v.getCreatedAt(), clock.getAsLong()));
    }

    @Override
    public void close() {
        view.removeListener(listener);
    }
}
