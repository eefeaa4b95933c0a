package dev.tributary.functions;

import dev.tributary.learn.FeatureVector;
import dev.tributary.schema.wire.FeaturizedExample;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A labelled example of the train topic (keyed by model, see {@link FeaturizedExample}) read for the
 * version its model is served at on this instance: what the drift detectors and the shadow
 * comparisons score, as the users were answered.
 *
 * @param serving the served version, whose featurizer filled the features
 * @param label the example's label
 */
record ServedExample(ServingModel serving, double label) {
    /**
     * Fills {@code x} with the example's features.
     *
     * @param features how many numeric features the example has, for its served version
     * @return null when there is nothing to score: no key or value, a value written by an earlier
     *     release, no served version or an unusable one (the score function dead-letters its events and
     *     says why), or features that do not fit the version
     */
    static ServedExample read(
            ModelCatalog catalog,
            Record<String, byte[]> record,
            FeatureVector x,
            ToIntFunction<ServingModel> features) {
        String model = record.key();
        byte[] value = record.value();
        if (model == null || value == null || !FeaturizedExample.matches(value)) {
            return null;
        }
        ServingModel serving;
        try {
            serving = catalog.serving(model);
        } catch (RuntimeException e) {
            return null;
        }
        if (serving == null
                || FeaturizedExample.fill(
                                value,
                                features.applyAsInt(serving),
                                serving.featurizer().dimension(),
                                x)
                        != null) {
            return null;
        }
        return new ServedExample(serving, FeaturizedExample.label(value));
    }
}
