package dev.tributary.autoscale;

/** The autoscaler cannot go on; the message is one sentence for the user. */
public final class AutoscaleException extends RuntimeException {
    public AutoscaleException(String message) {
        super(message);
    }

    public AutoscaleException(String message, Throwable cause) {
        super(message, cause);
    }
}
