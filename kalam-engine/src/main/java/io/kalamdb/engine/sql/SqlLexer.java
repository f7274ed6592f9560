package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens, skipping whitespace and comments, and knows quotes: the shared base of the
 * statement splitter, the {@code $n} rewriter and the parser of KalamDB's own statements.
 */
public final class SqlLexer {
    private SqlLexer() {
    }

    public static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    throw error(sql, i, "unterminated comment");
                }
                i = close + 2;
            } else if (c == '\'') {
                int j = closeQuote(sql, i, '\'');
                tokens.add(new Token(Token.Kind.STRING, sql.substring(i, j), i, j));
                i = j;
            } else if (c == '"' || c == '`') {
                int j = closeQuote(sql, i, c);
                tokens.add(new Token(Token.Kind.QUOTED_IDENT, sql.substring(i, j), i, j));
                i = j;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(Token.Kind.PARAM, sql.substring(i, j), i, j));
                i = j;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.'
                        || ((sql.charAt(j) == '+' || sql.charAt(j) == '-')
                        && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E')))) {
                    j++;
                }
                tokens.add(new Token(Token.Kind.NUMBER, sql.substring(i, j), i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                tokens.add(new Token(Token.Kind.WORD, sql.substring(i, j), i, j));
                i = j;
            } else {
                int len = 1;
                if (i + 1 < n) {
                    String two = sql.substring(i, i + 2);
                    if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")
                            || two.equals("||") || two.equals("::") || two.equals("->")) {
                        len = 2;
                        if (two.equals("->") && i + 2 < n && sql.charAt(i + 2) == '>') {
                            len = 3;
                        }
                    }
                }
                tokens.add(new Token(Token.Kind.SYMBOL, sql.substring(i, i + len), i, i + len));
                i += len;
            }
        }
        return tokens;
    }

    private static int closeQuote(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw error(sql, start, quote == '\'' ? "unterminated string literal" : "unterminated quoted identifier");
    }

    /** An INVALID_SQL error pointing at {@code offset} (1-based line and column in the message). */
    public static KalamException error(String sql, int offset, String what) {
        int line = 1;
        int col = 1;
        for (int k = 0; k < offset && k < sql.length(); k++) {
            if (sql.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new KalamException(io.kalamdb.engine.error.KalamErrorCode.INVALID_SQL,
                what + " [line=" + line + ", column=" + col + "]", line, col, null);
    }

    /** Splits a batch on top-level semicolons; empty statements are dropped. */
    public static List<String> splitStatements(String sql) {
        List<String> out = new ArrayList<>();
        List<Token> tokens = tokenize(sql);
        int begin = 0;
        int depth = 0;
        for (Token t : tokens) {
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
            } else if (t.isSymbol(";") && depth == 0) {
                addIfNotBlank(out, sql.substring(begin, t.start()));
                begin = t.end();
            }
        }
        addIfNotBlank(out, sql.substring(begin));
        return out;
    }

    private static void addIfNotBlank(List<String> out, String statement) {
        if (!tokenize(statement).isEmpty()) {
            out.add(statement.strip());
        }
    }
}
