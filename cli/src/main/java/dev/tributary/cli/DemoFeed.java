package dev.tributary.cli;

import dev.tributary.producers.EventPublisher;
import dev.tributary.producers.FeedbackPublisher;
import dev.tributary.schema.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes the demo's streams, interleaved one event per model at a time, on its own thread; for a
 * model that learns from feedback, the events go without their labels and the labels follow on the
 * feedback topic after the model's delay ({@link DemoFeedback}).
 */
final class DemoFeed implements AutoCloseable {
  private final EventPublisher publisher;
  private final FeedbackPublisher feedbackPublisher;
  private final List<DemoModel> models;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean finished;
  private volatile boolean stopped;

  DemoFeed(EventPublisher publisher, FeedbackPublisher feedbackPublisher, List<DemoModel> models) {
    this.publisher = publisher;
    this.feedbackPublisher = feedbackPublisher;
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
      for (int i = 0; i < models.size(); i++) {
        streams.add(models.get(i).events().get());
        left[i] = models.get(i).count();
        later[i] = models.get(i).labelDelayMs() > 0 ? new DemoFeedback(models.get(i).labelDelayMs()) : null;
      }
      boolean more = true;
      while (more && !stopped) {
        more = false;
        for (int i = 0; i < streams.size(); i++) {
          if (left[i] > 0 && streams.get(i).hasNext()) {
            Event event = streams.get(i).next();
            publisher.send(later[i] == null ? event : later[i].hold(event, System.currentTimeMillis()));
            sent.incrementAndGet();
            left[i]--;
            more = true;
          }
          sendDue(later[i], System.currentTimeMillis());
        }
      }
      publisher.flush();
      for (DemoFeedback held : later) {
        while (held != null && !held.isEmpty() && !stopped) {
          Thread.sleep(Math.max(0, held.nextDueMillis() - System.currentTimeMillis()));
          sendDue(held, System.currentTimeMillis());
        }
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

  private void sendDue(DemoFeedback held, long nowMillis) {
    if (held != null) {
      held.due(nowMillis).forEach(feedbackPublisher::send);
    }
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
