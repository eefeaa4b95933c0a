package dev.tributary.schema.serde;

/** Bytes that cannot become a record; the message says why, in words a person can act on. */
public class DecodeException extends RuntimeException {
    public DecodeException(String reason) {
        super(reason, null, false, false);
    }
}
