package dev.tributary.schema.serde;

/**
 * An Avro record written with a schema this reader has not been given. Unlike other undecodable
 * bytes it may decode a moment later, once the writer's schema has been read from the schemas topic.
 */
public final class UnknownWriterSchemaException extends DecodeException {
    private final long fingerprint;

    public UnknownWriterSchemaException(long fingerprint, String reason) {
        super(reason);
        this.fingerprint = fingerprint;
    }

    public long fingerprint() {
        return fingerprint;
    }
}
