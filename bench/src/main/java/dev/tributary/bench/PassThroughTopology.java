package dev.tributary.bench;

import dev.tributary.schema.Algorithm;
import dev.tributary.schema.Event;
import dev.tributary.schema.Prediction;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.TributarySerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The floors every function is measured against, both with the same input serde and decoder as the
 * score function (bytes → {@link EventDecoder}, with its validation) and no model, no registry:
 * <ul>
 *   <li>{@link #build the pass-through} re-encodes the whole event (Avro) to an output topic;
 *   <li>{@link #buildFloor the floor} writes, per event, a {@link Prediction} with constant scores: the
 *       record the score function writes, of the same size and encoding, without scoring. Score ÷ floor is
 *       what the model costs; score ÷ pass-through also counts the smaller write.
 * </ul>
 */
public final class PassThroughTopology {
    private PassThroughTopology() {}

    public static Topology build(String input, String output) {
        EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);
        return decodeAnd(input, output, decoder::decode, TributarySerdes.event(), "re-encoded");
    }

    public static Topology buildFloor(String input, String output) {
        EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);
        return decodeAnd(
                input,
                output,
                (value, at) -> unscored(decoder.decode(value, at)),
                TributarySerdes.prediction(),
                "unscored-predictions");
    }

    /** A prediction for {@code e} as the score function writes one, with constant scores. */
    static Prediction unscored(Event e) {
        return new Prediction(
                e.getId(),
                e.getModel(),
                0L,
                Algorithm.LOGISTIC_REGRESSION,
                0.5,
                1,
                0.0,
                e.getTimestamp(),
                System.currentTimeMillis(),
                null);
    }

    private interface Step<T> {
        T apply(byte[] value, long receivedAt);
    }

    private static <T> Topology decodeAnd(String input, String output, Step<T> step, Serde<T> serde, String sink) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        input,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events"))
                .mapValues((key, value) -> step.apply(value, 0L), Named.as("decode"))
                .to(output, Produced.<byte[], T>with(Serdes.ByteArray(), serde).withName(sink));
        return builder.build();
    }
}
