package dev.tributary.functions;

import dev.tributary.model.ModelSpecs;
import dev.tributary.schema.RegistryRecord;
import dev.tributary.schema.serde.AvroCodec;
import dev.tributary.schema.serde.TributarySerdes;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps versions larger than the registry topic accepts from being published: the reason is logged
 * (an error at most once a minute per model), {@link FunctionStats#versionsTooLarge} counts it, and
 * the last published version stays in service.
 */
final class VersionSizeGuard {
    private static final Logger LOG = LoggerFactory.getLogger(VersionSizeGuard.class);
    private static final long TOO_LARGE_LOG_INTERVAL_MS = 60_000;

    private final AvroCodec<RegistryRecord> codec =
            TributarySerdes.registryRecord().codec();
    private final int maxVersionBytes;
    private final FunctionStats stats;

    /**
     * @param maxVersionBytes the registry topic's {@code max.message.bytes}: a version whose record
     *     (key, value and batch overhead) is larger is not published
     */
    VersionSizeGuard(int maxVersionBytes, FunctionStats stats) {
        this.maxVersionBytes = maxVersionBytes;
        this.stats = stats;
    }

    /** Whether the registry topic takes {@code value} under {@code key}; if not, says so and counts it. */
    boolean fits(ModelTraining t, long version, String key, RegistryRecord value, long now) {
        long size = (long) codec.encode(value).length
                + key.getBytes(StandardCharsets.UTF_8).length
                + ModelSpecs.RECORD_OVERHEAD_BYTES;
        if (size <= maxVersionBytes) {
            return true;
        }
        stats.versionsTooLarge.increment();
        String message = String.format(
                "Model '%s' version %d was not published: it is %,d bytes, over the %,d bytes "
                        + "the registry topic accepts (its max.message.bytes); training goes on and version %d stays in service. "
                        + "Lower the model's hashBits (each bit less halves the hashed weights) or raise max.message.bytes",
                t.name(),
                version,
                size,
                (long) maxVersionBytes,
                t.state.getCurrent().getVersion());
        if (t.tooLargeLoggedAt == Long.MIN_VALUE || now - t.tooLargeLoggedAt >= TOO_LARGE_LOG_INTERVAL_MS) {
            LOG.error(message);
            t.tooLargeLoggedAt = now;
        } else {
            LOG.debug(message);
        }
        return false;
    }
}
