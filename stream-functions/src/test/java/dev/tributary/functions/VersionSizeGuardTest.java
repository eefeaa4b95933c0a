package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.Topics;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.serde.TributarySerdes;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionSizeGuardTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec("m", Algorithm.LINEAR_REGRESSION, List.of("x"))
            .build();

    @Test
    void aVersionOverTheLimitDoesNotFitAndIsCounted() {
        ModelVersion version = ModelSpecs.initialVersion(SPEC, 1L);
        ModelTraining t = new ModelTraining(
                SPEC,
                FunctionSpec.standard(Topics.defaults(), "app"),
                ModelVersions.learnerOf(SPEC, version),
                new TrainerState(version, 0L, 0L, null));
        RegistryRecord value = new RegistryRecord(version);
        int bytes = TributarySerdes.registryRecord().codec().encode(value).length
                + "m/1".length()
                + ModelSpecs.RECORD_OVERHEAD_BYTES;
        FunctionStats stats = new FunctionStats();

        assertThat(new VersionSizeGuard(bytes, stats).fits(t, 1, "m/1", value, 0))
                .isTrue();
        assertThat(new VersionSizeGuard(bytes - 1, stats).fits(t, 1, "m/1", value, 0))
                .isFalse();
        assertThat(stats.versionsTooLarge.sum()).isEqualTo(1);
    }
}
