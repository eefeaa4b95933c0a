package dev.tributary.schema;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate Tributary's generated records. Avro refuses to build or decode a specific
 * record of an untrusted package; rather than every launcher passing
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}, the entry points call {@link #install()} (the
 * command line's main, the codecs, the registry client, the functions runner, the publishers).
 * Only this package is trusted, so nothing read from a topic can name another class.
 *
 * <pre>{@code
 * AvroTrust.install();
 * ModelSpec spec = ModelSpec.newBuilder()...build();
 * }</pre>
 */
public final class AvroTrust {
    private static final String PACKAGE = AvroTrust.class.getPackageName() + ".";
    private static boolean installed;

    private AvroTrust() {}

    /** Idempotent and thread-safe; keeps whatever else the process already trusts. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                before, c -> c.getName().startsWith(PACKAGE) && c.getName().indexOf('.', PACKAGE.length()) < 0));
        installed = true;
    }
}
