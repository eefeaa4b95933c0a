package dev.tributary.schema.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The wire form of numeric vectors in records: little-endian IEEE-754 float64, packed. One bulk
 * copy each way instead of one boxed Double per weight. The byte order is that of the internal
 * formats ({@link dev.tributary.schema.wire.WireFormats#ORDER}); the Avro schema of the record
 * around a vector versions it.
 */
public final class Vectors {
    private Vectors() {}

    public static ByteBuffer toBytes(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return bytes;
    }

    public static double[] fromBytes(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (view.remaining() % Double.BYTES != 0) {
            throw new DecodeException("a float64 vector has " + view.remaining() + " bytes, not a multiple of 8");
        }
        double[] values = new double[view.remaining() / Double.BYTES];
        view.asDoubleBuffer().get(values);
        return values;
    }
}
