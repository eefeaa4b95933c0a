package dev.tributary.cli;

import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.FeedbackPublisher;
import dev.tributary.schema.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes the demo's streams, interleaved one event per model at a time, on its own thread; for a
 * model that learns from feedback, the events go without their labels and each label follows on the
 * feedback topic the model's delay after the event's prediction ({@link DemoFeedback}).
 */
final class DemoFeed implements AutoCloseable {
    private final EventPublisher publisher;
    private final FeedbackPublisher feedbackPublisher;
    private final List<DemoModel> models;
    private final DemoTally tally;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean finished;
    private volatile boolean stopped;

    /** @param tally where the scored events of the models that learn from feedback are read */
    DemoFeed(EventPublisher publisher, FeedbackPublisher feedbackPublisher, List<DemoModel> models, DemoTally tally) {
        this.publisher = publisher;
        this.feedbackPublisher = feedbackPublisher;
        this.tally = tally;
        this.models = models;
        this.thread = new Thread(this::run, "tributary-demo-feed");
        this.thread.setDaemon(true);
    }

    DemoFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<Iterator<Event>> streams = new ArrayList<>();
            long[] left = new long[models.size()];
            DemoFeedback[] later = new DemoFeedback[models.size()];
            Map<String, DemoFeedback> byModel = new HashMap<>();
            for (int i = 0; i < models.size(); i++) {
                streams.add(models.get(i).events().get());
                left[i] = models.get(i).count();
                if (models.get(i).labelDelayMs() > 0) {
                    later[i] = new DemoFeedback(models.get(i).labelDelayMs());
                    byModel.put(models.get(i).name(), later[i]);
                }
            }
            boolean more = true;
            while (more && !stopped) {
                more = false;
                for (int i = 0; i < streams.size(); i++) {
                    if (left[i] > 0 && streams.get(i).hasNext()) {
                        Event event = streams.get(i).next();
                        publisher.send(later[i] == null ? event : later[i].hold(event));
                        sent.incrementAndGet();
                        left[i]--;
                        more = true;
                    }
                }
                releaseLabels(byModel);
            }
            publisher.flush();
            while (byModel.values().stream().anyMatch(held -> !held.isEmpty()) && !stopped) {
                Thread.sleep(20);
                releaseLabels(byModel);
            }
            feedbackPublisher.flush();
            for (Iterator<Event> s : streams) {
                if (s instanceof AutoCloseable c) {
                    c.close();
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            finished = true;
        }
    }

    /** Starts the delay of each event seen scored, and sends the labels that are due. */
    private void releaseLabels(Map<String, DemoFeedback> byModel) {
        long now = System.currentTimeMillis();
        for (DemoTally.Scored s = tally.nextScored(); s != null; s = tally.nextScored()) {
            DemoFeedback held = byModel.get(s.model());
            if (held != null) {
                held.scored(s.eventId(), now);
            }
        }
        byModel.values().forEach(held -> held.due(now).forEach(feedbackPublisher::send));
    }

    long sent() {
        return sent.get();
    }

    /** True once every event and every held-back label is sent and acknowledged (or sending failed). */
    boolean finished() {
        return finished;
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        feedbackPublisher.close();
    }
}
