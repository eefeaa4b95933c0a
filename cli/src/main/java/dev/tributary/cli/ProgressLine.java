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
    private volatile long sent;
    private volatile boolean done;

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
        this.sent = sent;
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
        this.done = true;
        double s = seconds(System.nanoTime());
        if (interactive) {
            out.print("\r\u001b[K");
        }
        String one = sent == 1 && noun.endsWith("s") ? noun.substring(0, noun.length() - 1) : noun;
        out.printf(
                Locale.ROOT,
                "Published %s %s %s to %s in %.1f s (%s %s/s).%n",
                Metrics.count(sent),
                one,
                what,
                topic,
                s,
                Metrics.count((long) (sent / Math.max(s, 1e-3))),
                noun);
        out.flush();
    }

    /** What to say when the process is stopped (Ctrl-C) before it is done, or null when it was done. */
    String stoppedEarly() {
        return done
                ? null
                : "stopped after " + Metrics.count(sent) + " of " + Metrics.count(total)
                        + " events; the others were not sent";
    }

    private double seconds(long now) {
        return Math.max((now - started) / 1e9, 1e-3);
    }
}
