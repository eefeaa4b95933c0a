package dev.tributary.functions;

/**
 * At most one log line per period about dead letters, instead of one per record: how many there
 * were and the first one's reason. Shared by the tasks of an instance.
 */
final class DeadLetterBursts {
    private final long periodMs;
    private long firstAt;
    private long count;
    private String firstReason;

    DeadLetterBursts(long periodMs) {
        this.periodMs = periodMs;
    }

    synchronized void record(Rejection rejection, String reason, long now) {
        if (count == 0) {
            firstAt = now;
            firstReason = rejection + ": " + reason;
        }
        count++;
    }

    /** The line to log once a period has passed since the first dead letter not yet reported, else null. */
    synchronized String due(long now) {
        return now - firstAt < periodMs ? null : drain(now);
    }

    /** The line about the dead letters not yet reported, however recent (as the instance stops), else null. */
    synchronized String drain(long now) {
        if (count == 0) {
            return null;
        }
        String line = count + (count == 1 ? " dead letter" : " dead letters") + " in the last "
                + Math.max(1, Math.round((now - firstAt) / 1000.0)) + " s; the first: " + firstReason;
        count = 0;
        firstReason = null;
        return line;
    }
}
