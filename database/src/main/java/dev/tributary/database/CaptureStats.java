package dev.tributary.database;

import java.util.concurrent.atomic.AtomicLong;

/** What a {@link ChangeCapture} did, for logs and tests. */
public final class CaptureStats {
    public final AtomicLong events = new AtomicLong();
    public final AtomicLong feedback = new AtomicLong();
    public final AtomicLong deadLetters = new AtomicLong();
    public final AtomicLong deletes = new AtomicLong();
    public final AtomicLong unchanged = new AtomicLong();
    public final AtomicLong skipped = new AtomicLong();

    @Override
    public String toString() {
        return events + " events, " + feedback + " feedback, " + deadLetters + " dead letters, " + deletes
                + " deletes ignored, " + unchanged + " updates of other columns ignored, " + skipped
                + " changes already written";
    }
}
