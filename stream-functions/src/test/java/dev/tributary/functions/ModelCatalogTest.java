package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.registry.RegistryKeys;
import dev.tributary.registry.RegistryView;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelAlias;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {
    private final RegistryView view = new RegistryView();
    private final AtomicInteger catchUps = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final ModelCatalog catalog = new ModelCatalog(
            view,
            timeout -> {
                catchUps.incrementAndGet();
                return true;
            },
            now::get);

    @Test
    void anUnknownModelCostsOneCatchUpPerSecondNotOnePerEvent() {
        for (int i = 0; i < 1000; i++) {
            assertThat(catalog.servingOrWait("ghost", Duration.ofSeconds(5))).isNull();
        }
        assertThat(catchUps).hasValue(1);
        now.addAndGet(ModelCatalog.UNKNOWN_FOR_NANOS);
        assertThat(catalog.servingOrWait("ghost", Duration.ofSeconds(5))).isNull();
        assertThat(catchUps).hasValue(2);
    }

    @Test
    void aModelCreatedAfterItWasFoundUnknownIsServedAtOnce() {
        assertThat(catalog.servingOrWait("late", Duration.ofSeconds(5))).isNull();
        ModelSpec spec = ModelVersions.defaultSpec("late", Algorithm.LINEAR_REGRESSION, List.of("x"))
                .build();
        view.apply(RegistryKeys.spec("late"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("late", 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        assertThat(catalog.servingOrWait("late", Duration.ofSeconds(5))).isNotNull();
        assertThat(catchUps).hasValue(1);
    }

    @Test
    void theLastServedAnswerStandsUntilTheViewChangesTheModel() {
        ModelSpec spec = ModelVersions.defaultSpec("m", Algorithm.LINEAR_REGRESSION, List.of("x"))
                .build();
        ModelCatalog.LastServed last = new ModelCatalog.LastServed();
        assertThat(catalog.servingOrWait("m", Duration.ofSeconds(5), last)).isNull();
        assertThat(last.mayBeShadowed()).as("nothing remembered").isTrue();

        view.apply(RegistryKeys.spec("m"), new RegistryRecord(spec));
        view.apply(RegistryKeys.version("m", 0), new RegistryRecord(ModelSpecs.initialVersion(spec, 1L)));
        ServingModel first = catalog.servingOrWait("m", Duration.ofSeconds(5), last);
        assertThat(first.version()).isZero();
        assertThat(last.mayBeShadowed()).isFalse();
        assertThat(catalog.servingOrWait(new String("m"), Duration.ofSeconds(5), last))
                .isSameAs(first);

        view.apply(
                RegistryKeys.version("m", 1),
                new RegistryRecord(ModelVersion.newBuilder(ModelSpecs.initialVersion(spec, 1L))
                        .setVersion(1L)
                        .build()));
        ServingModel next = catalog.servingOrWait("m", Duration.ofSeconds(5), last);
        assertThat(next.version()).isEqualTo(1);
        assertThat(next).isSameAs(catalog.servingOrWait("m", Duration.ofSeconds(5)));

        view.apply(
                RegistryKeys.alias("m", "challenger"), new RegistryRecord(new ModelAlias("m", "challenger", 0L, 1L)));
        catalog.servingOrWait("m", Duration.ofSeconds(5), last);
        assertThat(last.mayBeShadowed()).as("an alias came").isTrue();
        assertThat(catalog.servingOrWait("other", Duration.ofSeconds(5), last)).isNull();
    }

    @Test
    void aModelNotFoundBeforeTheViewCaughtUpIsNotRememberedAsUnknown() {
        AtomicInteger tries = new AtomicInteger();
        ModelCatalog loading = new ModelCatalog(
                view,
                timeout -> {
                    tries.incrementAndGet();
                    return false;
                },
                now::get);
        ModelCatalog.Lookup found = loading.lookup("ghost", Duration.ofSeconds(5));
        assertThat(found.model()).isNull();
        assertThat(found.registryRead()).as("the model may exist: not read yet").isFalse();
        assertThat(loading.lookup("ghost", Duration.ofSeconds(5)).registryRead())
                .isFalse();
        assertThat(tries).as("asked again: nothing was learnt about the model").hasValue(2);

        ModelCatalog.Lookup unknown = catalog.lookup("ghost", Duration.ofSeconds(5));
        assertThat(unknown.model()).isNull();
        assertThat(unknown.registryRead()).as("read: the model does not exist").isTrue();
    }
}
