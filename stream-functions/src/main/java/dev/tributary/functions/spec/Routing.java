package dev.tributary.functions.spec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which events of a trigger topic one function handles, among the functions of its file. A
 * function scores (and trains on) the events of the models it serves and skips the others, never
 * dead-lettering them: a function with a list of models shares its topic with the functions (of its
 * file or of other processes) that serve the rest. The dead letter of an event of a registered
 * model is written by the first function in the file triggered by the topic that serves the model.
 * An event that cannot be read or names no registered model is dead-lettered only by a function
 * that serves every model (the first such one of the file), so that however many functions with
 * lists run next to it, it gets one dead letter.
 */
public final class Routing {
    private final FunctionSpec self;
    private final List<FunctionSpec> file;
    private final Map<String, List<FunctionSpec>> triggered = new ConcurrentHashMap<>();

    /**
     * @param self the function this instance runs
     * @param file every function of its file, in file order ({@code self} among them)
     */
    public Routing(FunctionSpec self, List<FunctionSpec> file) {
        this.self = self;
        this.file = List.copyOf(file);
        if (file.stream().noneMatch(f -> f.name().equals(self.name()))) {
            throw new IllegalArgumentException("function '" + self.name() + "' is not in its file");
        }
    }

    public FunctionSpec self() {
        return self;
    }

    /** A function alone in its file. */
    public static Routing alone(FunctionSpec function) {
        return new Routing(function, List.of(function));
    }

    public boolean serves(String model) {
        return self.serves(model);
    }

    /**
     * Whether this function writes the dead letter of a rejected event from {@code topic}.
     *
     * @param model the registered model the event names; null when it cannot be read or names no registered model
     */
    public boolean reports(String topic, String model) {
        for (FunctionSpec f : triggeredBy(topic)) {
            if (model == null ? f.models().isEmpty() : f.serves(model)) {
                return f.name().equals(self.name());
            }
        }
        return false;
    }

    /** The functions of the file a topic triggers, in file order (a per-topic cache: patterns match once per topic). */
    private List<FunctionSpec> triggeredBy(String topic) {
        return triggered.computeIfAbsent(
                topic, t -> file.stream().filter(f -> f.trigger().matches(t)).toList());
    }
}
