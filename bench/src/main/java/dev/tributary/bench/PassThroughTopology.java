package dev.tributary.bench;

import dev.tributary.schema.Event;
import dev.tributary.schema.serde.EventDecoder;
import dev.tributary.schema.serde.EventLimits;
import dev.tributary.schema.serde.TributarySerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The floor every function is measured against: the same input serde and decoder as the score
 * function (bytes → {@link EventDecoder}, with its validation) and an Avro re-encoding of the
 * event to an output topic; no model, no registry.
 */
public final class PassThroughTopology {
    private PassThroughTopology() {}

    public static Topology build(String input, String output) {
        EventDecoder decoder = new EventDecoder(EventLimits.DEFAULT);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        input,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("events"))
                .mapValues((key, value) -> decoder.decode(value, 0L), Named.as("decode"))
                .to(
                        output,
                        Produced.<byte[], Event>with(Serdes.ByteArray(), TributarySerdes.event())
                                .withName("re-encoded"));
        return builder.build();
    }
}
