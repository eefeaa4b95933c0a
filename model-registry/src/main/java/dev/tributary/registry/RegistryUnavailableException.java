package dev.tributary.registry;

/** The registry topic could not be read or written in time: the message names the broker and the bound. */
public final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
