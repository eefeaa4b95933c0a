package dev.tributary.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.functions.spec.FunctionSpec;
import dev.tributary.learn.FeatureVector;
import dev.tributary.model.ModelSpecs;
import dev.tributary.model.ModelVersions;
import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.ModelSpec;
import dev.tributary.schema.ModelVersion;
import dev.tributary.schema.Topics;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.wire.FeaturizedExample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every generation of training record reads into the same features and label. */
class TrainingInputsTest {
    private static final ModelSpec SPEC = ModelVersions.defaultSpec(
                    "m", Algorithm.LOGISTIC_REGRESSION, List.of("a", "b"))
            .build();
    private static final Event EVENT = Event.newBuilder()
            .setId("e-1")
            .setModel("m")
            .setFeatures(Map.of("a", 0.5, "b", -2.0))
            .setLabel(1.0)
            .setTimestamp(7L)
            .build();

    private final TrainingInputs inputs = new TrainingInputs(new EventDecoder(EventLimits.DEFAULT));
    private final ModelTraining training = training();

    private static ModelTraining training() {
        ModelVersion v0 = ModelSpecs.initialVersion(SPEC, 1L);
        return new ModelTraining(
                SPEC,
                FunctionSpec.standard(Topics.defaults(), "app"),
                ModelVersions.learnerOf(SPEC, v0),
                new TrainerState(v0, 0L, 0L, null));
    }

    private static List<Double> entries(FeatureVector x) {
        List<Double> entries = new java.util.ArrayList<>();
        for (int k = 0; k < x.size(); k++) {
            entries.add((double) x.index(k));
            entries.add(x.value(k));
        }
        return entries;
    }

    @Test
    void featurizedExamplesInputValuesAsTheyArrivedAndDecodedEventsReadAlike() {
        FeatureVector fromEvent = new FeatureVector(2);
        TrainingInputs.Example decoded = inputs.read(training, EVENT, fromEvent);
        assertThat(decoded.label()).isEqualTo(1.0);
        assertThat(decoded.id()).isEqualTo("e-1");
        assertThat(decoded.joined()).isFalse();

        byte[] featurized = FeaturizedExample.encode("e-1", 1.0, 2, fromEvent);
        byte[] avro = AvroCodec.of(Event.class).encode(EVENT);
        byte[] json = "{\"id\":\"e-1\",\"model\":\"m\",\"features\":{\"a\":0.5,\"b\":-2.0},\"label\":1.0}"
                .getBytes(StandardCharsets.UTF_8);
        for (byte[] value : List.of(featurized, avro, json)) {
            FeatureVector x = new FeatureVector(2);
            TrainingInputs.Example read = inputs.read(training, value, 7L, x);
            assertThat(read.label()).isEqualTo(1.0);
            assertThat(read.id()).isEqualTo("e-1");
            assertThat(entries(x)).isEqualTo(entries(fromEvent));
        }
    }

    @Test
    void aRecordThatDoesNotFitTheModelOrCannotBeReadIsSkipped() {
        FeatureVector three = new FeatureVector(3);
        three.add(0, 1);
        three.add(1, 2);
        three.add(2, 3);
        FeatureVector x = new FeatureVector(3);
        assertThat(inputs.read(training, FeaturizedExample.encode("e-2", 0.0, 3, three), 0L, x))
                .isNull();
        assertThat(inputs.read(training, "not an event".getBytes(StandardCharsets.UTF_8), 0L, x))
                .isNull();
    }
}
