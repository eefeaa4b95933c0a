package dev.tributary.schema.wire;

import java.nio.ByteOrder;

/**
 * What the internal binary formats of this package share. Each starts with a version byte (after
 * a two-byte magic where the value must be told apart from other forms) and is written in one byte
 * order, {@link #ORDER}: little-endian, as the float64 vectors inside records ({@link
 * dev.tributary.schema.serde.Vectors}). A reader knows every version written before its own, so a
 * rolling upgrade reads the records its predecessor wrote to repartition topics and changelogs.
 */
public final class WireFormats {
    /** The byte order of every current format. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private WireFormats() {}

    /** The error for a version this release does not read: written by a newer release. */
    static IllegalArgumentException unknownVersion(String format, int version, int newest) {
        return new IllegalArgumentException("a " + format + " of format version " + version
                + " was written by a newer release (this one reads up to version " + newest
                + "): upgrade every instance of the function to the same release");
    }
}
