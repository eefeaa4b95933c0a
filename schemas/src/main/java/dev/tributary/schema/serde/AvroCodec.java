package dev.tributary.schema.serde;

import dev.tributary.schema.AvroTrust;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro binary single-object encoding (magic {@code C3 01}, 8-byte schema fingerprint, body) of one
 * record type. The decoder resolves every writer schema it knows — the current one plus those
 * added with {@link #addWriterSchema} — to the current reader schema, so records written by
 * older and newer compatible schemas decode alike. Thread-safe.
 *
 * <pre>{@code
 * AvroCodec<Event> codec = AvroCodec.of(Event.class);
 * Event back = codec.decode(codec.encode(event));
 * }</pre>
 */
public final class AvroCodec<T extends SpecificRecord> {
    static {
        AvroTrust.install();
    }

    private static final Map<Class<?>, AvroCodec<?>> SHARED = new ConcurrentHashMap<>();
    /** Magic C3 01 and the writer schema's 8-byte fingerprint. */
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    /** Writer fingerprint → a reader resolving that writer's schema to the current one. */
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    /** Writer fingerprint → why that writer's records cannot be read as the current schema. */
    private final Map<Long, String> incompatible = new ConcurrentHashMap<>();

    private AvroCodec(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
        addWriterSchema(schema);
        for (Schema older : SchemaHistory.olderSchemas(schema.getName())) {
            addWriterSchema(older).ifPresent(problem -> {
                throw new IllegalStateException("schema history of " + schema.getName() + ": " + problem);
            });
        }
    }

    /** The process-wide codec of a generated record class. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return (AvroCodec<T>) SHARED.computeIfAbsent(type, t -> new AvroCodec<>(type));
    }

    public Schema schema() {
        return schema;
    }

    /**
     * Teaches the decoder another writer schema of this record (for example a newer one). A schema
     * whose records cannot be resolved to the current one (another record, or a field this reader
     * needs without a default) is not added: the reason is returned, and decoding such a record says it.
     */
    public Optional<String> addWriterSchema(Schema writer) {
        Optional<String> problem = incompatibility(writer);
        long fingerprint = fingerprint(writer);
        if (problem.isPresent()) {
            if (!readers.containsKey(fingerprint)) {
                incompatible.putIfAbsent(fingerprint, problem.get());
            }
            return problem;
        }
        incompatible.remove(fingerprint);
        readers.putIfAbsent(fingerprint, new SpecificDatumReader<>(writer, schema, SpecificData.get()));
        return Optional.empty();
    }

    /** Why records written with {@code writer} cannot be read as this codec's record, if they cannot. */
    public Optional<String> incompatibility(Schema writer) {
        if (writer.getType() != Schema.Type.RECORD || !writer.getFullName().equals(schema.getFullName())) {
            return Optional.of("the schema is "
                    + (writer.getType() == Schema.Type.RECORD
                            ? "record " + writer.getFullName()
                            : "a " + writer.getType().getName())
                    + ", not " + schema.getFullName());
        }
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
        if (check.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        List<String> reasons = check.getResult().getIncompatibilities().stream()
                .map(i -> i.getType()
                                == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE
                        ? "field '" + i.getMessage() + "' is missing and has no default"
                        : i.getType().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " ("
                                + i.getMessage() + " at " + i.getLocation() + ")")
                .toList();
        return Optional.of("records written with it cannot be read as the current " + schema.getName() + ": "
                + String.join("; ", reasons));
    }

    /** Whether records written with the schema of this fingerprint can be decoded. */
    public boolean knows(long fingerprint) {
        return readers.containsKey(fingerprint);
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | AvroRuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes one record, or throws {@link DecodeException} saying what is wrong with the bytes. */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new DecodeException("empty value: expected an Avro " + type.getSimpleName());
        }
        if (!hasSingleObjectMagic(bytes)) {
            throw new DecodeException(
                    "not Avro single-object encoding (expected magic C3 01, got " + hexPrefix(bytes, 2) + ")");
        }
        if (bytes.length < HEADER_BYTES) {
            throw new DecodeException("truncated Avro " + type.getSimpleName() + " (" + bytes.length
                    + " bytes): the header alone is " + HEADER_BYTES + " bytes");
        }
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            String problem = incompatible.get(fingerprint);
            if (problem != null) {
                throw new DecodeException(
                        "the writer's schema (fingerprint " + fingerprintOf(bytes) + ") is incompatible: " + problem);
            }
            throw new UnknownWriterSchemaException(
                    fingerprint,
                    "unknown Avro schema fingerprint " + fingerprintOf(bytes)
                            + " for " + type.getSimpleName()
                            + ": the writer used a schema this reader was never given; register it "
                            + "first (tributary schemas register FILE.avsc)");
        }
        try {
            // Lengths and counts are checked against the value's size before anything is allocated.
            return reader.read(null, new BoundedDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES));
        } catch (DecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DecodeException("truncated or corrupt Avro " + type.getSimpleName() + " ("
                    + bytes.length + " bytes): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The writer schema's fingerprint in a single-object encoded value's header, if it has one. */
    public static java.util.OptionalLong writerFingerprint(byte[] bytes) {
        return bytes != null && hasSingleObjectMagic(bytes) && bytes.length >= HEADER_BYTES
                ? java.util.OptionalLong.of(ByteBuffer.wrap(bytes, 2, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong())
                : java.util.OptionalLong.empty();
    }

    /** The 64-bit Rabin fingerprint that single-object encoding writes for a schema. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    static boolean hasSingleObjectMagic(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    private static String fingerprintOf(byte[] bytes) {
        return bytes.length >= 10 ? hexPrefix(java.util.Arrays.copyOfRange(bytes, 2, 10), 8) : "(truncated)";
    }

    /** A fingerprint as single-object encoding writes it (little-endian), in hex. */
    public static String hex(long fingerprint) {
        byte[] bytes = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(fingerprint)
                .array();
        return hexPrefix(bytes, 8);
    }

    static String hexPrefix(byte[] bytes, int max) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(max, bytes.length); i++) {
            hex.append(String.format("%02X", bytes[i] & 0xFF));
        }
        return hex.toString();
    }

    /** For tests and tools: every writer schema known besides the current one. */
    static List<Schema> history(String recordName) {
        return SchemaHistory.olderSchemas(recordName);
    }
}
