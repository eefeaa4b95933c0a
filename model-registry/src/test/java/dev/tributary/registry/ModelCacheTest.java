package dev.tributary.registry;

import static dev.tributary.registry.Fixtures.alias;
import static dev.tributary.registry.Fixtures.record;
import static dev.tributary.registry.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.registry.ModelCache.Served;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.serde.Vectors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ModelCacheTest {
    /** A stand-in for a learner: the decoded weights. */
    record Decoded(long version, double[] weights) {}

    private final RegistryView view = new RegistryView();
    private final Map<Long, AtomicInteger> decodesByVersion = new ConcurrentHashMap<>();
    private final Function<ModelVersion, Decoded> decoder = v -> {
        decodesByVersion
                .computeIfAbsent(v.getVersion(), k -> new AtomicInteger())
                .incrementAndGet();
        return new Decoded(v.getVersion(), Vectors.fromBytes(v.getWeights()));
    };
    private final ModelCache<Decoded> cache = new ModelCache<>(view, decoder);

    @Test
    void decodesEachVersionOnceAcrossManyLookups() throws Exception {
        Fixtures.populate(view, "m", 2);
        assertThat(cache.decodeCount())
                .as("lazy: nothing decoded before the first lookup")
                .isZero();
        Served<Decoded> first = cache.get("m");
        for (int i = 0; i < 100_000; i++) {
            assertThat(cache.get("m")).isSameAs(first);
        }
        // and from many threads at once
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    cache.get("m");
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(first.version().getVersion()).isEqualTo(1L);
        assertThat(first.model().version()).isEqualTo(1L);
        assertThat(first.spec().getName()).isEqualTo("m");
        assertThat(cache.decodeCount()).isEqualTo(1);
        assertThat(decodesByVersion).containsOnlyKeys(1L);
    }

    @Test
    void reDecodesOnlyWhenTheServedVersionChanges() {
        ModelSpec spec = Fixtures.populate(view, "m", 1);
        assertThat(cache.get("m").model().version()).isEqualTo(0L);

        view.apply(RegistryKeys.version("m", 1), record(version(spec, 1)));
        assertThat(cache.get("m").model().version()).isEqualTo(1L);
        assertThat(cache.get("m").model().weights()).containsOnly(1.0);

        view.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 0)));
        assertThat(cache.get("m").model().version()).as("rollback").isEqualTo(0L);
        view.apply(RegistryKeys.version("m", 2), record(version(spec, 2)));
        view.apply(RegistryKeys.alias("m", "challenger"), record(alias("m", "challenger", 2)));
        assertThat(cache.get("m").model().version()).as("champion pinned").isEqualTo(0L);
        assertThat(cache.decodeCount())
                .as("0, 1, 0 again after the rollback; nothing for unrelated changes")
                .isEqualTo(3);

        view.apply(RegistryKeys.alias("m", "champion"), null);
        assertThat(cache.get("m").model().version()).isEqualTo(2L);
        assertThat(cache.decodeCount()).isEqualTo(4);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void releasesTheOldDecodedVersion() {
        ModelSpec spec = Fixtures.populate(view, "m", 1);
        Decoded old = cache.get("m").model();
        view.apply(RegistryKeys.version("m", 1), record(version(spec, 1)));
        Served<Decoded> now = cache.get("m");
        assertThat(now.model().version()).isEqualTo(1L);
        assertThat(cache.held())
                .as("the cache keeps only the new decoded version, so version 0's can be collected")
                .singleElement()
                .isSameAs(now.model())
                .isNotSameAs(old);
    }

    @Test
    void dropsTheModelWhenItsSpecOrModelGoes() {
        Fixtures.populate(view, "m", 2);
        assertThat(cache.get("m")).isNotNull();
        view.apply(RegistryKeys.spec("m"), null);
        assertThat(cache.size()).isZero();
        assertThat(cache.get("m")).as("no spec, not served").isNull();
        assertThat(cache.serving("m")).isEmpty();
    }

    @Test
    void unknownModelsAreNullAndNotCached() {
        assertThat(cache.get("nope")).isNull();
        assertThat(cache.get(null)).isNull();
        assertThat(cache.serving("nope")).isEmpty();
        ModelSpec spec = Fixtures.spec("specOnly").build();
        view.apply(RegistryKeys.spec("specOnly"), record(spec));
        assertThat(cache.get("specOnly")).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.decodeCount()).isZero();
    }

    @Test
    void aFailingVersionKeepsThePreviousOneInServiceAndIsNotRetriedPerEvent() {
        AtomicInteger calls = new AtomicInteger();
        ModelCache<Long> picky = new ModelCache<>(view, v -> {
            calls.incrementAndGet();
            if (v.getVersion() == 1) {
                throw new IllegalStateException("weights do not fit");
            }
            return v.getVersion();
        });
        ModelSpec spec = Fixtures.populate(view, "m", 1);
        assertThat(picky.get("m").model()).isZero();
        view.apply(RegistryKeys.version("m", 1), record(version(spec, 1)));
        for (int i = 0; i < 10; i++) {
            assertThat(picky.get("m").model()).as("still version 0").isZero();
        }
        assertThat(calls).hasValue(2);
        view.apply(RegistryKeys.version("m", 2), record(version(spec, 2)));
        assertThat(picky.get("m").model()).isEqualTo(2L);
        picky.close();
    }

    @Test
    void aFailingFirstVersionThrowsTheSameReasonWithoutDecodingAgain() {
        AtomicInteger calls = new AtomicInteger();
        ModelCache<Long> broken = new ModelCache<>(view, v -> {
            calls.incrementAndGet();
            throw new IllegalStateException("weights do not fit");
        });
        Fixtures.populate(view, "m", 1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> broken.get("m"))
                    .isInstanceOf(ModelCache.ModelUnusableException.class)
                    .hasMessageContaining("version 0 of model 'm' cannot be used: weights do not fit");
        }
        assertThat(calls).hasValue(1);
        broken.close();
    }

    @Test
    void closeStopsFollowingTheView() {
        Fixtures.populate(view, "m", 1);
        cache.get("m");
        cache.close();
        assertThat(cache.size()).isZero();
    }
}
