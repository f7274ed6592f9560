package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamException;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A read position over the tokens of one statement, with the small parsing steps KalamDB's own grammar needs. */
final class TokenCursor {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_]+");

    private final String sql;
    private final List<Token> tokens;
    private int pos;

    TokenCursor(String sql) {
        this.sql = sql;
        this.tokens = SqlLexer.tokenize(sql);
    }

    String sql() {
        return sql;
    }

    /** All tokens of the statement. */
    List<Token> tokens() {
        return tokens;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    int position() {
        return pos;
    }

    Token peek() {
        return atEnd() ? null : tokens.get(pos);
    }

    Token peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : null;
    }

    Token next() {
        if (atEnd()) {
            throw error("unexpected end of statement");
        }
        return tokens.get(pos++);
    }

    boolean peekWord(String word) {
        Token t = peek();
        return t != null && t.isWord(word);
    }

    boolean acceptWord(String word) {
        if (peekWord(word)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Accepts a sequence of words, all or nothing. */
    boolean acceptWords(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token t = peek(i);
            if (t == null || !t.isWord(words[i])) {
                return false;
            }
        }
        pos += words.length;
        return true;
    }

    void expectWord(String word) {
        if (!acceptWord(word)) {
            throw error("expected " + word);
        }
    }

    boolean acceptSymbol(String symbol) {
        Token t = peek();
        if (t != null && t.isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw error("expected '" + symbol + "'");
        }
    }

    /** An identifier (bare or quoted) that matches {@code [A-Za-z0-9_]+}; {@code what} names it in errors. */
    String identifier(String what) {
        Token t = peek();
        if (t == null || (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.QUOTED_IDENT
                && t.kind() != Token.Kind.STRING)) {
            throw error("expected " + what);
        }
        pos++;
        String name = t.unquoted();
        if (!IDENT.matcher(name).matches()) {
            throw SqlLexer.error(sql, t.start(), "invalid " + what + " '"
                    + io.kalamdb.engine.util.Identifiers.printable(name) + "' (letters, digits and _ only)");
        }
        return name;
    }

    /**
     * A user name: a string literal or an identifier, checked against the rules of user ids
     * ({@link io.kalamdb.engine.util.Identifiers}: no control characters, no path separators, at most 128
     * characters); a bad one is {@code INVALID_INPUT} naming it.
     */
    String userName() {
        Token t = next();
        return switch (t.kind()) {
            case STRING, QUOTED_IDENT, WORD -> io.kalamdb.engine.util.Identifiers.checkUserId(t.unquoted());
            default -> throw SqlLexer.error(sql, t.start(), "expected a user name");
        };
    }

    String stringLiteral(String what) {
        Token t = peek();
        if (t == null || t.kind() != Token.Kind.STRING) {
            throw error("expected " + what + " as a quoted string");
        }
        pos++;
        return t.unquoted();
    }

    long number(String what) {
        Token t = peek();
        if (t == null || t.kind() != Token.Kind.NUMBER) {
            throw error("expected " + what + " (a number)");
        }
        pos++;
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw SqlLexer.error(sql, t.start(), "invalid " + what + " '" + t.text() + "'");
        }
    }

    /** The raw text from the current token to the end of the statement. */
    String rest() {
        return atEnd() ? "" : sql.substring(tokens.get(pos).start()).strip();
    }

    /** The text of the current token's source up to (excluding) token index {@code endExclusive}. */
    String textBetween(int fromToken, int toTokenExclusive) {
        int start = tokens.get(fromToken).start();
        int end = tokens.get(toTokenExclusive - 1).end();
        return sql.substring(start, end);
    }

    void expectEnd() {
        if (!atEnd()) {
            throw SqlLexer.error(sql, peek().start(), "unexpected '" + peek().text() + "'");
        }
    }

    KalamException error(String what) {
        int offset = atEnd() ? sql.length() : peek().start();
        String near = atEnd() ? "end of statement" : "'" + peek().text() + "'";
        return SqlLexer.error(sql, offset, what + " near " + near);
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
