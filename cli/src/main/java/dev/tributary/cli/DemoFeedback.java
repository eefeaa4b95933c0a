package dev.tributary.cli;

import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The demo's labels that come later: each event of a model that learns from feedback is sent
 * without its label, and the label is released as {@link Feedback} (keyed, like the event, by its
 * id) once the delay has passed. Not thread-safe: the demo feed's thread alone uses it.
 */
final class DemoFeedback {
  private record Due(long atMillis, Feedback feedback) {}

  private final long delayMillis;
  private final Deque<Due> queue = new ArrayDeque<>();

  DemoFeedback(long delayMillis) {
    this.delayMillis = delayMillis;
  }

  /** The event as it is sent (no label); its label becomes feedback due {@code delay} after {@code nowMillis}. */
  Event hold(Event labelled, long nowMillis) {
    if (labelled.getLabel() == null) {
      return labelled;
    }
    queue.addLast(new Due(nowMillis + delayMillis, new Feedback(labelled.getId(), labelled.getModel(),
        labelled.getLabel(), 0L)));
    return Event.newBuilder(labelled).setLabel(null).build();
  }

  /** The feedback due at {@code nowMillis}, oldest first, removed from the queue. */
  List<Feedback> due(long nowMillis) {
    List<Feedback> due = new ArrayList<>();
    while (!queue.isEmpty() && queue.peekFirst().atMillis() <= nowMillis) {
      due.add(queue.pollFirst().feedback());
    }
    return due;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** When the oldest held label is due; only when not {@link #isEmpty}. */
  long nextDueMillis() {
    return queue.peekFirst().atMillis();
  }
}
