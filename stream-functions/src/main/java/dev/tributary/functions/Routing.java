package dev.tributary.functions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which events of a trigger topic one function handles, among the functions of its file. A
 * function scores (and trains on) the events of the models it serves, and leaves the others to the
 * functions that serve them. Each dead letter is written once: by the first function in the file
 * that is triggered by the topic and serves the model, or, when none serves it (or the model cannot
 * be read), by the first function triggered by the topic.
 *
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

  /** Whether this function writes the dead letter of a rejected event of {@code model} (null: unreadable) from {@code topic}. */
  public boolean reports(String topic, String model) {
    List<FunctionSpec> triggered = triggeredBy(topic);
    FunctionSpec reporter = triggered.isEmpty() ? self : triggered.get(0);
    if (model != null) {
      for (FunctionSpec f : triggered) {
        if (f.serves(model)) {
          reporter = f;
          break;
        }
      }
    }
    return reporter.name().equals(self.name());
  }

  /** The functions of the file a topic triggers, in file order (a per-topic cache: patterns match once per topic). */
  private List<FunctionSpec> triggeredBy(String topic) {
    return triggered.computeIfAbsent(topic, t -> file.stream().filter(f -> f.trigger().matches(t)).toList());
  }
}
