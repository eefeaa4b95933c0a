package dev.tributary.cli;

import dev.tributary.schema.DriftDetection;
import dev.tributary.schema.DriftReaction;
import dev.tributary.schema.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** What watches a model for drift, what it does on drift, and which aliases score in its shadow. */
final class DriftOptions {
    enum Drift {
        none(DriftDetection.NONE),
        adwin(DriftDetection.ADWIN),
        page_hinkley(DriftDetection.PAGE_HINKLEY);

        final DriftDetection detection;

        Drift(DriftDetection detection) {
            this.detection = detection;
        }

        /** As users write it: {@code page-hinkley}. */
        @Override
        public String toString() {
            return name().replace('_', '-');
        }

        static Drift parse(String text) {
            for (Drift d : values()) {
                if (d.toString().equalsIgnoreCase(text.trim())) {
                    return d;
                }
            }
            throw new IllegalArgumentException(
                    "--drift '" + text + "' is not a detector: use none, adwin or page-hinkley");
        }
    }

    enum OnDrift {
        none(DriftReaction.NONE),
        challenger(DriftReaction.CHALLENGER);

        final DriftReaction reaction;

        OnDrift(DriftReaction reaction) {
            this.reaction = reaction;
        }
    }

    @Option(
            names = "--drift",
            paramLabel = "D",
            defaultValue = "none",
            converter = DriftConverter.class,
            description = {
                "A detector that watches the serving version's per-event error on the labelled events and "
                        + "writes an alert to tributary.alerts when it rises: none (default), adwin (delta 0.002) or page-hinkley "
                        + "(delta 0.005, lambda 50, alpha 0.9999)."
            })
    Drift drift;

    @Option(
            names = "--on-drift",
            paramLabel = "R",
            defaultValue = "none",
            description = {
                "What the train function does on a drift alert: none (default, alert only) or challenger (also "
                        + "train a fresh learner alongside, which takes over once it beats the model on the same examples)."
            })
    OnDrift onDrift;

    @Option(
            names = "--shadow",
            split = ",",
            paramLabel = "ALIAS",
            description =
                    "Aliases whose versions also score every event, next to the challenger, into each prediction's "
                            + "shadows (default: none besides the challenger).")
    List<String> shadows = new ArrayList<>();

    static final class DriftConverter implements ITypeConverter<Drift> {
        @Override
        public Drift convert(String value) {
            return Drift.parse(value);
        }
    }

    /** Sets the drift and shadow fields of {@code spec}. */
    ModelSpec.Builder applyTo(ModelSpec.Builder spec) {
        return spec.setDrift(drift.detection).setOnDrift(onDrift.reaction).setShadowAliases(new ArrayList<>(shadows));
    }
}
