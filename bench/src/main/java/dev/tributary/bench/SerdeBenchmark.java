package dev.tributary.bench;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding a 20-feature event (Avro and JSON) and encoding a prediction: the per-record serde cost. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerdeBenchmark {
    private final EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);
    private final AvroCodec<Prediction> predictions = AvroCodec.of(Prediction.class);
    private byte[] avroEvent;
    private byte[] jsonEvent;
    private Prediction prediction;

    @Setup
    public void setUp() {
        Map<String, Double> features = new HashMap<>();
        StringBuilder json = new StringBuilder("{\"id\":\"event-123456\",\"model\":\"bench\",\"features\":{");
        for (int i = 0; i < 20; i++) {
            features.put("x" + i, i * 0.37);
            json.append(i == 0 ? "" : ",").append("\"x").append(i).append("\":").append(i * 0.37);
        }
        json.append("},\"label\":1}");
        Event event = Event.newBuilder()
                .setId("event-123456")
                .setModel("bench")
                .setFeatures(features)
                .setLabel(1.0)
                .setTimestamp(1_700_000_000_000L)
                .build();
        avroEvent = AvroCodec.of(Event.class).encode(event);
        jsonEvent = json.toString().getBytes(StandardCharsets.UTF_8);
        prediction = new Prediction(
                "event-123456",
                "bench",
                42L,
                Algorithm.LOGISTIC_REGRESSION,
                0.73,
                1,
                0.99,
                1_700_000_000_000L,
                1_700_000_000_100L,
                null);
    }

    @Benchmark
    public Event decodeAvroEvent() {
        return decoder.decode(avroEvent, 0L);
    }

    @Benchmark
    public Event decodeJsonEvent() {
        return decoder.decode(jsonEvent, 0L);
    }

    @Benchmark
    public byte[] encodePrediction() {
        return predictions.encode(prediction);
    }
}
