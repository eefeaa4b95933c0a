package dev.tributary.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateGuardTest {
    final LearnerConfig config = LearnerConfig.defaults(Task.REGRESSION, List.of("a", "b", "c"));
    final Weights w = new Weights(config.dimension());
    final Optimizer optimizer = Optimizer.create(config);
    final UpdateGuard guard = new UpdateGuard(w, optimizer);
    final FeatureVector x = new FeatureVector(2);

    UpdateGuardTest() {
        optimizer.attach(w);
        guard.ensureCapacity(3);
        x.add(0, 1.0);
        x.add(2, 1.0);
        w.set(0, 0.5);
        w.set(2, -0.25);
        w.bias = 0.125;
    }

    @Test
    void undoRestoresTheTouchedWeightsTheBiasAndTheOptimizersScalars() {
        double[] scalars = optimizer.scalars.clone();
        guard.save(x);
        w.set(0, 99);
        w.set(2, 99);
        w.bias = 99;
        for (int i = 0; i < optimizer.scalars.length; i++) {
            optimizer.scalars[i] += 7;
        }
        guard.undo(x);
        assertThat(w.get(0)).isEqualTo(0.5);
        assertThat(w.get(2)).isEqualTo(-0.25);
        assertThat(w.bias).isEqualTo(0.125);
        assertThat(optimizer.scalars).containsExactly(scalars);
    }

    @Test
    void aNonFiniteTouchedWeightOrBiasIsNotAcceptable() {
        guard.save(x);
        assertThat(guard.acceptable(x, 1e6)).isTrue();
        w.set(2, Double.NaN);
        assertThat(guard.acceptable(x, 1e6)).isFalse();
        guard.undo(x);
        w.bias = Double.POSITIVE_INFINITY;
        assertThat(guard.acceptable(x, 1e6)).isFalse();
    }

    @Test
    void weightsBeyondTheNormBoundAreNotAcceptable() {
        guard.save(x);
        w.set(0, 10);
        assertThat(guard.acceptable(x, 100)).isTrue();
        assertThat(guard.acceptable(x, 5))
                .as("|w| is about 10, above the bound 5")
                .isFalse();
    }
}
