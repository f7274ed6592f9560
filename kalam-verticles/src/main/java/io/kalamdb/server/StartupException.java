package io.kalamdb.server;

/**
 * A start-up failure with a one-line message naming the key, path or port at fault; {@code main} prints it
 * and exits with status 1.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
