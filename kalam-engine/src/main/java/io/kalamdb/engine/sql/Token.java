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

    /** The value of a string literal or the name of an identifier, without quotes. */
    public String unquoted() {
        return switch (kind) {
            case STRING -> text.substring(1, text.length() - 1).replace("''", "'");
            case QUOTED_IDENT -> text.substring(1, text.length() - 1).replace("\"\"", "\"").replace("``", "`");
            default -> text;
        };
    }
}
