package dev.tributary.schema.serde;

import dev.tributary.schema.DriftAlert;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.ShadowComparison;
import dev.tributary.schema.TrainerState;
import dev.tributary.schema.TrainingExample;
import dev.tributary.schema.UsageRecord;

/** The serdes of Tributary's topics and stores. */
public final class TributarySerdes {
    private TributarySerdes() {}

    /** Writes Avro; reads Avro only (input topics are decoded with {@link EventDecoder}, which also takes JSON). */
    public static AvroSerde<Event> event() {
        return new AvroSerde<>(Event.class);
    }

    public static AvroSerde<Prediction> prediction() {
        return new AvroSerde<>(Prediction.class);
    }

    public static AvroSerde<RegistryRecord> registryRecord() {
        return new AvroSerde<>(RegistryRecord.class);
    }

    public static AvroSerde<TrainingExample> trainingExample() {
        return new AvroSerde<>(TrainingExample.class);
    }

    public static AvroSerde<TrainerState> trainerState() {
        return new AvroSerde<>(TrainerState.class);
    }

    public static AvroSerde<DriftAlert> driftAlert() {
        return new AvroSerde<>(DriftAlert.class);
    }

    public static AvroSerde<ShadowComparison> shadowComparison() {
        return new AvroSerde<>(ShadowComparison.class);
    }

    public static AvroSerde<UsageRecord> usageRecord() {
        return new AvroSerde<>(UsageRecord.class);
    }
}
