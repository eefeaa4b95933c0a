package dev.tributary.functions;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * How the drift processor tells the train processor of the same task that a model drifted and
 * wants a challenger: both see every example of the task, the drift processor first. One object per
 * topology; each task reads only its own entries, on its own thread.
 *
 * <pre>{@code
 * signals.challengerWanted(taskId, "fraud");       // DriftProcessor, on an alert
 * if (signals.takeChallengerWanted(taskId, "fraud")) { ... }   // TrainProcessor, after the example
 * }</pre>
 */
final class DriftSignals {
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();

    void challengerWanted(TaskId task, String model) {
        wanted.add(task + "/" + model);
    }

    /** Whether a challenger was asked for since the last call, which clears it. */
    boolean takeChallengerWanted(TaskId task, String model) {
        return !wanted.isEmpty() && wanted.remove(task + "/" + model);
    }
}
