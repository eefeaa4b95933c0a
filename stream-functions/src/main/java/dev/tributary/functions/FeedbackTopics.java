package dev.tributary.functions;

import dev.tributary.schema.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The feedback topic of each trigger topic has as many partitions as the trigger, so that a label
 * and its event (both keyed by the event's id) reach the same task: the join of {@link FeedbackJoin}
 * is local to it. Kafka Streams would run a sub-topology over topics of different counts without a
 * word, and labels would silently miss their events; the runner checks at start instead.
 */
final class FeedbackTopics {
    private FeedbackTopics() {}

    /**
     * Creates the feedback topic of each existing trigger topic that has none, with the trigger's
     * partition count, and refuses a feedback topic whose count differs from its trigger's.
     *
     * @throws IllegalStateException with the sentence saying what to do
     */
    static void coPartition(Admin admin, Collection<String> triggers) {
        List<String> wanted = new ArrayList<>();
        for (String trigger : triggers) {
            wanted.add(trigger);
            wanted.add(Topics.feedbackOf(trigger));
        }
        Map<String, Integer> counts = partitions(admin, wanted);
        List<NewTopic> missing = new ArrayList<>();
        for (String trigger : triggers) {
            Integer events = counts.get(trigger);
            String feedback = Topics.feedbackOf(trigger);
            Integer labels = counts.get(feedback);
            if (events != null && labels == null) {
                missing.add(new NewTopic(feedback, events, (short) -1));
            }
            String problem = events == null || labels == null ? null : problem(trigger, events, feedback, labels);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
        }
        Topics.create(admin, missing);
    }

    /** Why a feedback topic cannot be joined with its trigger topic, or null when it can. */
    static String problem(String trigger, int triggerPartitions, String feedback, int feedbackPartitions) {
        if (triggerPartitions == feedbackPartitions) {
            return null;
        }
        return "topic " + feedback + " has " + feedbackPartitions + " partitions and " + trigger + " has "
                + triggerPartitions + ", but labels must be partitioned like their events: "
                + (feedbackPartitions < triggerPartitions
                        ? "add partitions (kafka-topics.sh --alter --topic " + feedback + " --partitions "
                                + triggerPartitions + ") or delete it and let run create it, then start again"
                        : "delete " + feedback + " and let run create it with " + triggerPartitions
                                + " partitions, then start again");
    }

    private static Map<String, Integer> partitions(Admin admin, List<String> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> present =
                    topics.stream().filter(existing::contains).distinct().toList();
            Map<String, Integer> counts = new HashMap<>();
            if (!present.isEmpty()) {
                for (Map.Entry<String, TopicDescription> d : admin.describeTopics(present)
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .entrySet()) {
                    counts.put(d.getKey(), d.getValue().partitions().size());
                }
            }
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the partitions of the feedback topics", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot read the partitions of " + topics + ": " + cause.getMessage(), cause);
        }
    }
}
