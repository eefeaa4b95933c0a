package dev.tributary.registry;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a follower can reach its broker, logged once per outage: the first failure of an outage
 * is logged as a warning, the first success after it as information. Thread-safe.
 */
final class BrokerReachability {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final String topic;
    private final String bootstrap;
    private volatile String problem;

    BrokerReachability(String topic, String bootstrap) {
        this.topic = topic;
        this.bootstrap = bootstrap;
    }

    /** Why the follower cannot currently read, if so. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** A problem other than an outage (the client could not even be created), kept as it is. */
    void failed(String why) {
        problem = why;
    }

    /** A request timed out: the broker cannot be reached (logged at the first of an outage). */
    void unreachable(Throwable e) {
        if (problem == null) {
            problem = "the Kafka broker at " + bootstrap + " could not be reached";
            LOG.warn(
                    "follower of {}: {}{}; retrying",
                    topic,
                    problem,
                    e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
    }

    /** A request succeeded: an outage, if any, is over. */
    void reachable() {
        if (problem != null) {
            LOG.info("follower of {}: the broker at {} is reachable again", topic, bootstrap);
            problem = null;
        }
    }
}
