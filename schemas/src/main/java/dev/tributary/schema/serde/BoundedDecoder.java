package dev.tributary.schema.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one in-memory value that refuses, before allocating anything, a string
 * or bytes length, or a block count of an array or map, larger than the whole value. Avro's own
 * decoder allocates what a length prefix claims: a few corrupt bytes claiming a 2 GB string would
 * throw {@link OutOfMemoryError} in the thread that reads them.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;
    private final int size;

    BoundedDecoder(byte[] bytes, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
        this.size = length;
    }

    private int length(long claimed, String what) {
        if (claimed < 0 || claimed > size) {
            throw new DecodeException("corrupt Avro: a " + what + " claims " + claimed + (claimed < 0 ? "" : " bytes")
                    + " in a value of " + size + " bytes");
        }
        return (int) claimed;
    }

    private long count(long claimed, String what) {
        if (claimed < 0 || claimed > size) {
            throw new DecodeException(
                    "corrupt Avro: a " + what + " claims " + claimed + " items in a value of " + size + " bytes");
        }
        return claimed;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int n = length(in.readLong(), "string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(n);
        if (n > 0) {
            in.readFixed(result.getBytes(), 0, n);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int n = length(in.readLong(), "bytes field");
        ByteBuffer result = old != null && old.capacity() >= n && old.hasArray() ? old : ByteBuffer.allocate(n);
        result.clear();
        in.readFixed(result.array(), result.arrayOffset(), n);
        result.limit(n);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length(in.readLong(), "bytes field"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array block");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array block");
    }

    @Override
    public long skipArray() throws IOException {
        return count(in.skipArray(), "array block");
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map block");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map block");
    }

    @Override
    public long skipMap() throws IOException {
        return count(in.skipMap(), "map block");
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
