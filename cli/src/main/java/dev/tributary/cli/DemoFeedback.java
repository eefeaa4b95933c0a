package dev.tributary.cli;

import dev.tributary.schema.Event;
import dev.tributary.schema.Feedback;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's labels that come later: each event of a model that learns from feedback is sent
 * without its label, and the label is released as {@link Feedback} (keyed, like the event, by its
 * id) a delay after the event's prediction was seen, as a click follows an impression. Not
 * thread-safe: the demo feed's thread alone uses it.
 */
final class DemoFeedback {
    private record Due(long atMillis, Feedback feedback) {}

    private final long delayMillis;
    private final Map<String, Feedback> held = new HashMap<>();
    private final Deque<Due> queue = new ArrayDeque<>();

    DemoFeedback(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    /** The event as it is sent (no label); its label waits for the event's prediction. */
    Event hold(Event labelled) {
        if (labelled.getLabel() == null) {
            return labelled;
        }
        held.put(labelled.getId(), new Feedback(labelled.getId(), labelled.getModel(), labelled.getLabel(), 0L));
        return Event.newBuilder(labelled).setLabel(null).build();
    }

    /** The event's prediction was seen at {@code nowMillis}: its label is due {@code delay} later. */
    void scored(String id, long nowMillis) {
        Feedback feedback = held.remove(id);
        if (feedback != null) {
            queue.addLast(new Due(nowMillis + delayMillis, feedback));
        }
    }

    /** The feedback due at {@code nowMillis}, oldest first, removed from the queue. */
    List<Feedback> due(long nowMillis) {
        List<Feedback> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().atMillis() <= nowMillis) {
            due.add(queue.pollFirst().feedback());
        }
        return due;
    }

    /** True when no label is held back any more (every event scored and its label released). */
    boolean isEmpty() {
        return held.isEmpty() && queue.isEmpty();
    }
}
