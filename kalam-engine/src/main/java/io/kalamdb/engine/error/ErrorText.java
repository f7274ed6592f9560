package io.kalamdb.engine.error;

import java.util.regex.Pattern;

/**
 * Tells whether an error message would show a client the server's insides (Java class names, exception names,
 * stack frames), so that such a message is replaced before it leaves the engine or the server.
 */
public final class ErrorText {
    private static final Pattern INTERNAL = Pattern.compile(
            "\\bjava\\.|\\bjavax\\.|\\bjdk\\.|\\bsun\\.|org\\.apache\\.|io\\.kalamdb\\.|io\\.vertx\\.|io\\.netty\\."
                    + "|com\\.fasterxml\\.|Exception\\b|\\tat |\\bat [a-z]+\\.[A-Za-z.$]+\\(|NullPointer"
                    + "|ClassCast|NumberFormat|IndexOutOfBounds|StackOverflow|OutOfMemory");

    private ErrorText() {
    }

    /** Whether {@code message} is missing or reveals implementation details. */
    public static boolean looksInternal(String message) {
        return message == null || message.isBlank() || INTERNAL.matcher(message).find();
    }
}
