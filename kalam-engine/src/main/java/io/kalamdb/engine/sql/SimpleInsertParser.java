package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * A fast parser for the hot INSERT shape — {@code INSERT INTO t [(cols)] VALUES (…)[, (…)]} whose values are
 * literals, parameters, signs or argument-less functions — straight from our lexer's tokens. Anything else
 * returns null and goes to Calcite's parser, which is an order of magnitude slower.
 */
final class SimpleInsertParser {
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private SimpleInsertParser() {
    }

    /** @param t the statement's tokens (already lexed by the caller) */
    static Stmt.Insert tryParse(List<Token> t, List<Object> params, String defaultNamespace) {
        int[] i = {0};
        if (!word(t, i, "INSERT") || !word(t, i, "INTO")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        String first = identifier(t, i);
        if (first == null) {
            return null;
        }
        names.add(first);
        if (symbol(t, i, ".")) {
            String second = identifier(t, i);
            if (second == null) {
                return null;
            }
            names.add(second);
        }
        List<String> columns = null;
        if (symbol(t, i, "(")) {
            columns = new ArrayList<>();
            do {
                String c = identifier(t, i);
                if (c == null) {
                    return null;
                }
                columns.add(c);
            } while (symbol(t, i, ","));
            if (!symbol(t, i, ")")) {
                return null;
            }
        }
        if (!word(t, i, "VALUES")) {
            return null;
        }
        List<Object> ordered = new ArrayList<>();
        List<List<SqlNode>> rows = new ArrayList<>();
        do {
            if (!symbol(t, i, "(")) {
                return null;
            }
            List<SqlNode> row = new ArrayList<>();
            do {
                SqlNode v = value(t, i, params, ordered);
                if (v == null) {
                    return null;
                }
                row.add(v);
            } while (symbol(t, i, ","));
            if (!symbol(t, i, ")")) {
                return null;
            }
            rows.add(row);
        } while (symbol(t, i, ","));
        symbol(t, i, ";");
        if (i[0] != t.size()) {
            return null;
        }
        return new Stmt.Insert(KalamParser.tableRef(names, defaultNamespace), columns, rows, null, ordered);
    }

    private static SqlNode value(List<Token> t, int[] i, List<Object> params, List<Object> ordered) {
        if (i[0] >= t.size()) {
            return null;
        }
        Token tok = t.get(i[0]++);
        switch (tok.kind()) {
            case STRING:
                return SqlLiteral.createCharString(tok.unquoted(), POS);
            case NUMBER:
                return number(tok.text(), false);
            case PARAM: {
                int n = tok.paramNumber();
                if (n < 1 || n > params.size()) {
                    throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter " + tok.text()
                            + " invalid: only " + params.size() + " parameter(s) were supplied");
                }
                ordered.add(params.get(n - 1));
                return new SqlDynamicParam(ordered.size() - 1, POS);
            }
            case SYMBOL:
                if (tok.isSymbol("-") && i[0] < t.size() && t.get(i[0]).kind() == Token.Kind.NUMBER) {
                    return number(t.get(i[0]++).text(), true);
                }
                return null;
            case WORD: {
                String w = tok.upper();
                switch (w) {
                    case "TRUE":
                        return SqlLiteral.createBoolean(true, POS);
                    case "FALSE":
                        return SqlLiteral.createBoolean(false, POS);
                    case "NULL":
                        return SqlLiteral.createNull(POS);
                    case "CURRENT_TIMESTAMP":
                    case "CURRENT_USER":
                        skipEmptyParens(t, i);
                        return function(w.equals("CURRENT_USER") ? "KALAM_CURRENT_USER" : w);
                    default:
                        if (symbol(t, i, "(") && symbol(t, i, ")")) {
                            return function(w);
                        }
                        return null;
                }
            }
            default:
                return null;
        }
    }

    private static SqlNode number(String text, boolean negative) {
        try {
            BigDecimal d = new BigDecimal(text);
            String s = (negative ? d.negate() : d).toPlainString();
            return SqlLiteral.createExactNumeric(s, POS);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static SqlNode function(String name) {
        return new SqlBasicCall(new SqlUnresolvedFunction(new SqlIdentifier(name, POS), null, null, null, null,
                SqlFunctionCategory.USER_DEFINED_FUNCTION), List.of(), POS);
    }

    private static void skipEmptyParens(List<Token> t, int[] i) {
        if (i[0] + 1 < t.size() && t.get(i[0]).isSymbol("(") && t.get(i[0] + 1).isSymbol(")")) {
            i[0] += 2;
        }
    }

    private static boolean word(List<Token> t, int[] i, String w) {
        if (i[0] < t.size() && t.get(i[0]).isWord(w)) {
            i[0]++;
            return true;
        }
        return false;
    }

    private static boolean symbol(List<Token> t, int[] i, String s) {
        if (i[0] < t.size() && t.get(i[0]).isSymbol(s)) {
            i[0]++;
            return true;
        }
        return false;
    }

    private static String identifier(List<Token> t, int[] i) {
        if (i[0] >= t.size()) {
            return null;
        }
        Token tok = t.get(i[0]);
        if (tok.kind() == Token.Kind.QUOTED_IDENT || (tok.kind() == Token.Kind.WORD && !tok.isWord("VALUES"))) {
            i[0]++;
            return tok.unquoted();
        }
        return null;
    }
}
