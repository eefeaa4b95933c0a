package dev.tributary.schema.serde;

/**
 * Bounds on what one input event may carry; anything beyond is refused with its reason.
 *
 * @param maxValueBytes largest accepted value, in bytes
 * @param maxFeatures most numeric plus categorical entries in one event
 * @param maxAbsFeatureValue largest accepted |feature|: bigger finite values are almost always a
 *     unit or parsing error upstream, and they would swamp a linear model
 */
public record EventLimits(int maxValueBytes, int maxFeatures, double maxAbsFeatureValue) {
    public static final EventLimits DEFAULT = new EventLimits(1 << 20, 10_000, 1e15);

    public EventLimits {
        if (maxValueBytes <= 0 || maxFeatures <= 0 || !(maxAbsFeatureValue > 0)) {
            throw new IllegalArgumentException("event limits must be positive, got " + maxValueBytes + " bytes, "
                    + maxFeatures + " features, |value| <= " + maxAbsFeatureValue);
        }
    }
}
