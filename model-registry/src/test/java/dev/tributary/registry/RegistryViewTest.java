package dev.tributary.registry;

import static dev.tributary.registry.Fixtures.alias;
import static dev.tributary.registry.Fixtures.record;
import static dev.tributary.registry.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.serde.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RegistryViewTest {
    private final RegistryView view = new RegistryView();

    @Test
    void emptyViewKnowsNothing() {
        assertThat(view.models()).isEmpty();
        assertThat(view.spec("m")).isEmpty();
        assertThat(view.versions("m")).isEmpty();
        assertThat(view.latest("m")).isEmpty();
        assertThat(view.serving("m")).isEmpty();
        assertThat(view.aliases("m")).isEmpty();
        assertThat(view.stateOrNull("m")).isNull();
    }

    @Test
    void servesTheLatestVersionWithoutChampion() {
        ModelSpec spec = Fixtures.populate(view, "m", 3);
        assertThat(view.models()).containsExactly("m");
        assertThat(view.spec("m")).contains(spec);
        assertThat(view.versions("m").keySet()).containsExactly(0L, 1L, 2L);
        assertThat(view.latest("m")).map(ModelVersion::getVersion).contains(2L);
        assertThat(view.serving("m")).map(ModelVersion::getVersion).contains(2L);
        assertThat(view.version("m", 1)).map(ModelVersion::getVersion).contains(1L);
        assertThat(view.version("m", 7)).isEmpty();
    }

    @Test
    void versionsOutOfOrderStillGiveTheHighestAsLatest() {
        ModelSpec spec = Fixtures.spec("m").build();
        view.apply(RegistryKeys.version("m", 5), record(version(spec, 5)));
        view.apply(RegistryKeys.version("m", 2), record(version(spec, 2)));
        assertThat(view.latest("m")).map(ModelVersion::getVersion).contains(5L);
    }

    @Test
    void championOverridesLatestWhilePresent() {
        ModelSpec spec = Fixtures.populate(view, "m", 3);
        view.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 1)));
        assertThat(view.serving("m")).map(ModelVersion::getVersion).contains(1L);
        assertThat(view.latest("m")).map(ModelVersion::getVersion).contains(2L);
        assertThat(view.aliases("m")).containsEntry("champion", 1L);

        view.apply(RegistryKeys.version("m", 3), record(version(spec, 3)));
        assertThat(view.serving("m"))
                .map(ModelVersion::getVersion)
                .as("a new version does not move the champion")
                .contains(1L);

        view.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 9)));
        assertThat(view.serving("m"))
                .map(ModelVersion::getVersion)
                .as("champion at a missing version: latest")
                .contains(3L);

        view.apply(RegistryKeys.version("m", 9), record(version(spec, 9)));
        assertThat(view.serving("m")).map(ModelVersion::getVersion).contains(9L);
    }

    @Test
    void otherAliasesDoNotChangeWhatIsServed() {
        Fixtures.populate(view, "m", 3);
        view.apply(RegistryKeys.alias("m", "challenger"), record(alias("m", "challenger", 0)));
        assertThat(view.serving("m")).map(ModelVersion::getVersion).contains(2L);
        assertThat(view.aliases("m")).containsExactlyEntriesOf(java.util.Map.of("challenger", 0L));
    }

    @Test
    void tombstonesDeleteVersionsAliasesAndSpecs() {
        Fixtures.populate(view, "m", 3);
        view.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 1)));

        view.apply(RegistryKeys.alias("m", "champion"), null);
        assertThat(view.aliases("m")).isEmpty();
        assertThat(view.serving("m")).map(ModelVersion::getVersion).contains(2L);

        view.apply(RegistryKeys.version("m", 2), null);
        assertThat(view.versions("m").keySet()).containsExactly(0L, 1L);
        assertThat(view.latest("m")).map(ModelVersion::getVersion).contains(1L);

        view.apply(RegistryKeys.spec("m"), null);
        assertThat(view.spec("m")).isEmpty();
        assertThat(view.models()).as("versions remain").containsExactly("m");

        view.apply(RegistryKeys.version("m", 0), null);
        view.apply(RegistryKeys.version("m", 1), null);
        assertThat(view.models()).isEmpty();
        assertThat(view.stateOrNull("m")).isNull();

        view.apply(RegistryKeys.version("never", 3), null); // tombstone of something unknown: harmless
        assertThat(view.models()).isEmpty();
    }

    @Test
    void snapshotsAreImmutableAndUnaffectedByLaterWrites() {
        ModelSpec spec = Fixtures.populate(view, "m", 2);
        NavigableMap<Long, ModelVersion> before = view.versions("m");
        view.apply(RegistryKeys.version("m", 2), record(version(spec, 2)));
        assertThat(before.keySet()).containsExactly(0L, 1L);
        assertThatThrownBy(() -> before.remove(0L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> view.aliases("m").put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listenersFireAfterEachApplyWithTheNewStateVisible() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Long> servedWhenCalled = new ArrayList<>();
        view.addListener(seen::add);
        view.addListener(m -> servedWhenCalled.add(
                view.serving(m).map(ModelVersion::getVersion).orElse(-1L)));
        view.addListener(m -> {
            throw new IllegalStateException("a broken listener does not stop the others");
        });
        Fixtures.populate(view, "a", 2);
        Fixtures.populate(view, "b", 1);
        view.apply(RegistryKeys.version("a", 1), null);
        assertThat(seen).containsExactly("a", "a", "a", "b", "b", "a");
        assertThat(servedWhenCalled).containsExactly(-1L, 0L, 1L, -1L, 0L, 0L);

        seen.clear();
        java.util.function.Consumer<String> l = seen::add;
        view.addListener(l);
        view.removeListener(l);
        view.apply(RegistryKeys.version("b", 0), null);
        assertThat(seen).containsExactly("b");
    }

    @Test
    void rejectsValuesThatDisagreeWithTheirKey() {
        ModelSpec spec = Fixtures.populate(view, "m", 1);
        assertThatThrownBy(() -> view.apply(RegistryKeys.version("m", 5), record(version(spec, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> view.apply(RegistryKeys.spec("other"), record(spec)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> view.apply(RegistryKeys.alias("m", "champion"), record(spec)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> view.apply("garbage", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(view.versions("m").keySet()).containsExactly(0L);
    }

    @Test
    void modelsAreSorted() {
        Fixtures.populate(view, "zeta", 1);
        Fixtures.populate(view, "alpha", 1);
        Fixtures.populate(view, "Mid", 1);
        assertThat(view.models()).containsExactly("Mid", "alpha", "zeta");
    }

    @Test
    void aReleasingViewKeepsTheNewestAndTheAliasedVersionsWhole() {
        RegistryView serving = RegistryView.releasingOldWeights(2);
        ModelSpec spec = Fixtures.spec("m").build();
        serving.apply(RegistryKeys.version("m", 0), record(version(spec, 0)));
        serving.apply(RegistryKeys.version("m", 1), record(version(spec, 1)));
        serving.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 1)));
        for (long v = 2; v <= 5; v++) {
            serving.apply(RegistryKeys.version("m", v), record(version(spec, v)));
        }

        assertThat(serving.versions("m").keySet()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(serving.versions("m").values().stream()
                        .filter(RegistryView::isReleased)
                        .map(ModelVersion::getVersion))
                .containsExactly(0L, 2L, 3L);
        assertThat(serving.serving("m"))
                .hasValueSatisfying(v -> assertThat(RegistryView.isReleased(v)).isFalse());
        ModelVersion released = serving.version("m", 2).orElseThrow();
        assertThat(released.getExamplesSeen()).isEqualTo(version(spec, 2).getExamplesSeen());
        assertThat(released.getMetrics()).isEqualTo(version(spec, 2).getMetrics());
        assertThat(view.versions("m")).isEmpty(); // the default view is untouched by another one
    }

    @Test
    void aVersionSentAgainBeforeItsAliasIsWholeAgainAndStaysSo() {
        RegistryView serving = RegistryView.releasingOldWeights(1);
        ModelSpec spec = Fixtures.spec("m").build();
        for (long v = 0; v <= 3; v++) {
            serving.apply(RegistryKeys.version("m", v), record(version(spec, v)));
        }
        assertThat(RegistryView.isReleased(serving.version("m", 1).orElseThrow()))
                .isTrue();

        // What ModelRegistry.rollback sends: the version again, then the alias.
        serving.apply(RegistryKeys.version("m", 1), record(version(spec, 1)));
        serving.apply(RegistryKeys.alias("m", "champion"), record(alias("m", "champion", 1)));
        serving.apply(RegistryKeys.version("m", 4), record(version(spec, 4)));

        assertThat(serving.serving("m")).map(ModelVersion::getVersion).contains(1L);
        assertThat(RegistryView.isReleased(serving.serving("m").orElseThrow())).isFalse();
        assertThat(RegistryView.isReleased(serving.version("m", 3).orElseThrow()))
                .isTrue();
        assertThat(Vectors.fromBytes(serving.version("m", 1).orElseThrow().getWeights()))
                .containsExactly(Vectors.fromBytes(version(spec, 1).getWeights()));
    }
}
