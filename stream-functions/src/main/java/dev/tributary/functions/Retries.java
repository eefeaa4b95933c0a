package dev.tributary.functions;

import dev.tributary.functions.spec.FunctionSpec;
import java.util.function.Supplier;

/**
 * Runs one event's work again after an unexpected exception: up to {@code retries} more times,
 * waiting {@code backoff} before the first retry and twice as long before each next one (at most
 * {@code maxBackoff}), and never past the event's {@code timeout}. The stream thread itself waits:
 * it cannot be interrupted safely, so a slow attempt is measured, not cut short.
 */
final class Retries {
    private final int retries;
    private final long backoffNanos;
    private final long maxBackoffNanos;
    private final long timeoutNanos;
    private int attempts;

    Retries(FunctionSpec function) {
        this.retries = function.retries();
        this.backoffNanos = function.backoff().toNanos();
        this.maxBackoffNanos = function.maxBackoff().toNanos();
        this.timeoutNanos = function.timeout().toNanos();
    }

    /** The last exception once every attempt failed (or the timeout left no time for another), with the attempt count. */
    static final class ExhaustedException extends RuntimeException {
        final int attempts;

        ExhaustedException(int attempts, RuntimeException last) {
            super("failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + last, last);
            this.attempts = attempts;
        }
    }

    /** The work's result; {@code start} is when the event's processing began ({@link System#nanoTime()}). */
    <T> T run(Supplier<T> work, long start) {
        for (int attempt = 1; ; attempt++) {
            attempts = attempt;
            try {
                return work.get();
            } catch (RuntimeException e) {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (attempt > retries || left <= 0) {
                    throw new ExhaustedException(attempt, e);
                }
                sleep(Math.min(waitBefore(attempt + 1), left));
            }
        }
    }

    /** How many attempts the last {@link #run} made. */
    int attempts() {
        return attempts;
    }

    /** Whether work that ran from {@code start} to {@code end} ({@link System#nanoTime()}) took longer than the timeout. */
    boolean overTimeout(long start, long end) {
        return end - start > timeoutNanos;
    }

    /** The wait before attempt {@code n} (n ≥ 2): backoff, doubled for each attempt after the second, capped. */
    long waitBefore(int n) {
        long wait = backoffNanos;
        for (int i = 2; i < n && wait < maxBackoffNanos; i++) {
            wait *= 2;
        }
        return Math.min(wait, maxBackoffNanos);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
