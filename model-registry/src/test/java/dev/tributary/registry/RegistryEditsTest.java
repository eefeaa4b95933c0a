package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.PromotionDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions behind rollback, retire and prune, on a view: no broker needed. */
class RegistryEditsTest {
    private final ModelSpec spec = Fixtures.spec("m").build();
    private final RegistryView view = new RegistryView();

    private void put(ModelVersion v) {
        view.apply(RegistryKeys.version("m", v.getVersion()), Fixtures.record(v));
    }

    private ModelVersion refused(long v) {
        PromotionDecision no = PromotionDecision.newBuilder()
                .setAccepted(false)
                .setReason("worse")
                .setMetric("accuracy")
                .setWindowMetric(0.5)
                .setWindowCount(10)
                .setChampionVersion(null)
                .setChampionWindowMetric(null)
                .build();
        return ModelVersion.newBuilder(Fixtures.version(spec, v))
                .setPromotion(no)
                .build();
    }

    private RegistryView.ModelState state() {
        return view.stateOrNull("m");
    }

    @Test
    void rollbackPassesOverVersionsTheGateRefused() {
        view.apply(RegistryKeys.spec("m"), Fixtures.record(spec));
        put(Fixtures.version(spec, 0));
        put(Fixtures.version(spec, 1));
        put(refused(2));
        put(Fixtures.version(spec, 3));
        RegistryEdits.RollbackTarget t = RegistryEdits.rollbackTarget("m", state(), null);
        assertThat(t.version()).isEqualTo(1);
        assertThat(t.skipped()).containsExactly(2L);
        assertThat(RegistryEdits.rollbackTarget("m", state(), 0L).version()).isZero();
        assertThatThrownBy(() -> RegistryEdits.rollbackTarget("m", state(), 9L))
                .hasMessage("model 'm' has no version 9 (it has versions [0, 1, 2, 3])");
    }

    @Test
    void retiringTheChampionNeedsForceAndTakesItsAliases() {
        view.apply(RegistryKeys.spec("m"), Fixtures.record(spec));
        put(Fixtures.version(spec, 0));
        put(Fixtures.version(spec, 1));
        view.apply(RegistryKeys.alias("m", "champion"), Fixtures.record(Fixtures.alias("m", "champion", 1)));
        view.apply(RegistryKeys.alias("m", "blue"), Fixtures.record(Fixtures.alias("m", "blue", 1)));
        assertThatThrownBy(() -> RegistryEdits.aliasesRetiredWith("m", 1, false, state()))
                .hasMessageContaining("is the champion");
        assertThat(RegistryEdits.aliasesRetiredWith("m", 1, true, state())).containsExactly("blue", "champion");
        assertThat(RegistryEdits.aliasesRetiredWith("m", 0, false, state())).isEmpty();
    }

    @Test
    void pruneKeepsTheNewestAndTheAliased() {
        put(Fixtures.version(spec, 0));
        put(Fixtures.version(spec, 1));
        put(Fixtures.version(spec, 2));
        put(Fixtures.version(spec, 3));
        assertThat(RegistryEdits.prunedKeys("m", view.versions("m"), List.of(1L), 2))
                .containsExactly(RegistryKeys.version("m", 0));
    }
}
