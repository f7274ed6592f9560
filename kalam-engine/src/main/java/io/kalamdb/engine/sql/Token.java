package io.kalamdb.engine.sql;

import java.util.Locale;

/**
 * One lexical token of SQL text with its offsets; {@code text} is the raw slice (quotes included).
 */
public record Token(Kind kind, String text, int start, int end) {

    /** Token kinds. WORD covers keywords and bare identifiers. */
    public enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, SYMBOL }

    public boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    public boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /**
     * The number of a {@code $n} placeholder; a number too large for an int reads as {@link Integer#MAX_VALUE}
     * (more than any request carries, so the caller reports it as a parameter that was not supplied).
     */
    public int paramNumber() {
        int first = 1;
        while (first < text.length() - 1 && text.charAt(first) == '0') {
            first++;
        }
        String digits = text.substring(first);
        if (digits.length() > 10) {
            return Integer.MAX_VALUE;
        }
        long n = Long.parseLong(digits);
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** The value of a string literal or the name of an identifier, without quotes. */
    public String unquoted() {
        return switch (kind) {
            case STRING -> text.substring(1, text.length() - 1).replace("''", "'");
            case QUOTED_IDENT -> text.substring(1, text.length() - 1).replace("\"\"", "\"").replace("``", "`");
            default -> text;
        };
    }
}
