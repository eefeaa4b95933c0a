package dev.tributary.registry;

import java.time.Duration;
import java.util.Map;

/**
 * What one registry client's operations share: the {@link RegistryWriter} they write with, the
 * {@link RegistryFollower} they read from, and the wait that lets a read see every write made
 * before it. Thread-safe.
 */
final class RegistrySession implements AutoCloseable {
    private final String topic;
    private final Duration timeout;
    private final RegistryWriter writer;
    private final RegistryFollower follower;

    RegistrySession(Map<String, Object> clientProperties, String topic, Duration timeout) {
        this.writer = new RegistryWriter(clientProperties, topic, timeout);
        this.topic = topic;
        this.timeout = timeout;
        this.follower = new RegistryFollower(Map.copyOf(clientProperties), topic);
        follower.start();
    }

    String topic() {
        return topic;
    }

    RegistryWriter writer() {
        return writer;
    }

    /** The live view, which may lag the topic. */
    RegistryView liveView() {
        return follower.view();
    }

    /**
     * The view once it holds the whole topic as it was at this call.
     *
     * @param action what the caller is doing, for the message if the broker cannot be read
     * @throws RegistryUnavailableException if the topic could not be read within the timeout
     */
    RegistryView caughtUp(String action) {
        writer.checkOpen();
        if (!follower.awaitCaughtUp(timeout)) {
            String why = follower.problem().orElse("the broker could not be reached or is too slow");
            throw new RegistryUnavailableException("cannot " + action + ": the registry topic " + topic
                    + " could not be read from the Kafka broker at " + writer.bootstrap() + " within "
                    + writer.seconds() + " (" + why + ")");
        }
        return follower.view();
    }

    /** When a write started now must have been acknowledged, as {@link System#nanoTime()}. */
    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    @Override
    public void close() {
        follower.close();
        writer.close();
    }
}
