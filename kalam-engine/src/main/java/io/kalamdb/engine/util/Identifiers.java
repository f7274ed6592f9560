package io.kalamdb.engine.util;

import io.kalamdb.engine.error.KalamException;

/**
 * The rules for names that end up inside storage keys or object paths: user ids and consumer-group names.
 * Namespace, table, column, index and topic names are stricter still ({@code [A-Za-z0-9_]+}, checked by the
 * parser).
 *
 * <p>A checked name is 1 to {@link #MAX_LENGTH} characters, has no control character (U+0000..U+001F,
 * U+007F..U+009F, U+2028, U+2029), no unpaired surrogate (two different such strings would encode to the same
 * UTF-8 bytes), no {@code /} or {@code \} and is not {@code .} or {@code ..} (a user id is a directory name
 * in cold storage), and does not start or end with white space. Failures are {@code INVALID_INPUT} naming the
 * identifier with its control characters escaped.
 */
public final class Identifiers {
    public static final int MAX_LENGTH = 128;

    private Identifiers() {
    }

    /** Checks a user id; a failure calls it "user name". Returns the id. */
    public static String checkUserId(String id) {
        return check("user name", id);
    }

    /** Checks a name that is stored inside a key; {@code what} names it in the error. Returns the name. */
    public static String check(String what, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw KalamException.invalidInput("invalid " + what + " '" + printable(name) + "': " + problem);
        }
        return name;
    }

    /** Why the name breaks the rules, or null when it is fine. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "control characters are not allowed (found U+" + hex(c) + " at " + i + ")";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "unpaired surrogate at " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "unpaired surrogate at " + i;
            }
            if (c == '/' || c == '\\') {
                return "'/' and '\\' are not allowed";
            }
        }
        if (name.equals(".") || name.equals("..")) {
            return "'.' and '..' are not allowed";
        }
        if (Character.isWhitespace(name.charAt(0)) || Character.isWhitespace(name.charAt(name.length() - 1))) {
            return "must not start or end with white space";
        }
        return null;
    }

    /** The name with control characters and unpaired surrogates written as {@code \\uXXXX} (for messages). */
    public static String printable(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_LENGTH + 16));
        for (int i = 0; i < name.length() && out.length() < MAX_LENGTH + 16; i++) {
            char c = name.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (paired) {
                out.append(c).append(name.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                out.append("\\u").append(hex(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String hex(char c) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(4 - h.length()) + h;
    }
}
