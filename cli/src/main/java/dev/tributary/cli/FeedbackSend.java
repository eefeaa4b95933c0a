package dev.tributary.cli;

import dev.tributary.model.Labels;
import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.FeedbackFile;
import dev.tributary.producers.FeedbackPublisher;
import dev.tributary.registry.Clients;
import dev.tributary.registry.ModelRegistry;
import dev.tributary.schema.ModelSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code produce --feedback FILE}: checks every line of a feedback file against the registry (the
 * model exists, waits for labels, and can learn the label) before anything is sent, then publishes
 * each line as Avro {@code Feedback} keyed by its event id.
 */
final class FeedbackSend {
    private final KafkaOptions kafka;
    private final PrintWriter err;

    FeedbackSend(KafkaOptions kafka, PrintWriter err) {
        this.kafka = kafka;
        this.err = err;
    }

    /** Returns the number of feedback lines sent. */
    long send(Path file, String topic, double rate, Long limit, PrintWriter out) {
        long lines = FeedbackFile.validate(file, feedback -> null); // its form first, before connecting
        try (ModelRegistry registry = Registries.open(kafka)) {
            Map<String, Optional<ModelSpec>> specs = new HashMap<>();
            FeedbackFile.validate(file, feedback -> {
                Optional<ModelSpec> spec = specs.computeIfAbsent(feedback.getModel(), registry::spec);
                if (spec.isEmpty()) {
                    return Registries.unknownModel(feedback.getModel()).getMessage();
                }
                return Labels.feedbackProblem(spec.get(), feedback.getLabel()).orElse(null);
            });
        }
        long total = limit == null ? lines : Math.min(lines, limit);
        ProgressLine progress = new ProgressLine(out, total, Terminal.interactive(), "labels");
        long sent = 0;
        try (FeedbackPublisher publisher = new FeedbackPublisher(
                        new EventPublisher(Clients.bounded(kafka.clientProperties()), topic, rate),
                        FeedbackPublisher.Encoding.AVRO);
                FeedbackFile feedback = FeedbackFile.open(file)) {
            registerSchema(publisher);
            while (feedback.hasNext() && (limit == null || sent < limit)) {
                publisher.send(feedback.next());
                progress.update(++sent);
            }
            publisher.flush();
        }
        progress.done(sent, topic, "from " + file.getFileName());
        return sent;
    }

    /** A producer that may not write the schemas topic still publishes, with a warning. */
    private void registerSchema(FeedbackPublisher publisher) {
        try {
            publisher.registerSchema(kafka.topics().schemas());
        } catch (IllegalStateException e) {
            err.println("tributary: warning: " + Errors.describe(e) + "; the feedback is sent anyway "
                    + "(instances of this release read it; older ones need the schema registered)");
        }
    }
}
