package dev.tributary.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A progress line: redrawn in place at a terminal, a line every 5 s otherwise. */
final class ProgressLine {
  private final PrintWriter out;
  private final long total;
  private final boolean interactive;
  private final String noun;
  private final long started = System.nanoTime();
  private long lastShown = started;

  ProgressLine(PrintWriter out, long total, boolean interactive) {
    this(out, total, interactive, "events");
  }

  /** @param noun what is sent, plural: "events", "labels" */
  ProgressLine(PrintWriter out, long total, boolean interactive, String noun) {
    this.out = out;
    this.total = total;
    this.interactive = interactive;
    this.noun = noun;
  }

  void update(long sent) {
    long now = System.nanoTime();
    long every = interactive ? 250_000_000L : 5_000_000_000L;
    if (now - lastShown < every) {
      return;
    }
    lastShown = now;
    String line = "sent " + Metrics.count(sent) + " of " + Metrics.count(total) + " " + noun + " ("
        + Metrics.count((long) (sent / seconds(now))) + "/s)";
    if (interactive) {
      out.print("\r" + line + "\u001b[K");
    } else {
      out.println(line);
    }
    out.flush();
  }

  void done(long sent, String topic, String what) {
    double s = seconds(System.nanoTime());
    if (interactive) {
      out.print("\r\u001b[K");
    }
    out.printf(Locale.ROOT, "Published %s %s %s to %s in %.1f s (%s %s/s).%n", Metrics.count(sent), noun,
        what, topic, s, Metrics.count((long) (sent / Math.max(s, 1e-3))), noun);
    out.flush();
  }

  private double seconds(long now) {
    return Math.max((now - started) / 1e9, 1e-3);
  }
}
