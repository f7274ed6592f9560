package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * Calcite parsing helpers shared by queries and DML: the parser settings (double-quoted identifiers, case
 * kept, case-insensitive matching), the rewrite of KalamDB spellings ({@code $n}, {@code CURRENT_USER()}) and
 * the walk that finds the tables a statement reads.
 */
public final class CalciteSql {
    static final SqlParser.Config PARSER = SqlParser.config()
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withQuotedCasing(Casing.UNCHANGED)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(SqlConformanceEnum.BABEL)
            .withParserFactory(SqlBabelParserImpl.FACTORY);
    static final SqlDialect DIALECT = CalciteSqlDialect.DEFAULT;

    private CalciteSql() {
    }

    /** SQL text rewritten for Calcite and its parameters in {@code ?} order. */
    public record Prepared(String sql, List<Object> params) {
    }

    /** A parsed statement: the rewritten text, its parse tree and its parameter values in {@code ?} order. */
    public record Parsed(String sql, SqlNode node, List<Object> params) {
    }

    /** Rewritten text, parse tree and {@code $n} references (0-based) of one SQL text. */
    private record Template(String sql, SqlNode node, int[] paramRefs) {
    }

    private static final int PARSE_CACHE_SIZE = 2048;
    /** Longer texts are parsed every time: the cache must stay small (2,048 × 8 KiB at most). */
    private static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;
    private static final java.util.Map<String, Template> PARSE_CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Template> eldest) {
                    return size() > PARSE_CACHE_SIZE;
                }
            });

    /**
     * {@link #prepare} then {@link #parse}, cached by SQL text: the Babel parser costs far more than running a
     * simple statement, and clients repeat the same text with new parameters. Parse trees are shared and must
     * not be modified.
     */
    public static Parsed parseCached(String raw, List<Object> params) {
        Template t = PARSE_CACHE.get(raw);
        if (t == null) {
            StringBuilder sql = new StringBuilder(raw.length());
            List<Integer> refs = new ArrayList<>();
            rewrite(raw, sql, refs);
            SqlNode node = parse(sql.toString());
            t = new Template(sql.toString(), node, refs.stream().mapToInt(Integer::intValue).toArray());
            if (raw.length() <= MAX_CACHED_SQL_LENGTH) {
                PARSE_CACHE.put(raw, t);
            }
        }
        List<Object> ordered = new ArrayList<>(t.paramRefs().length);
        for (int ref : t.paramRefs()) {
            if (ref >= params.size()) {
                throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter $" + (ref + 1)
                        + " invalid: only " + params.size() + " parameter(s) were supplied");
            }
            ordered.add(params.get(ref));
        }
        return new Parsed(t.sql(), t.node(), ordered);
    }

    /**
     * Rewrites {@code $n} to {@code ?} (collecting the values in placeholder order) and {@code CURRENT_USER} /
     * {@code CURRENT_USER()} to the engine's function.
     */
    public static Prepared prepare(String sql, List<Object> params) {
        StringBuilder out = new StringBuilder(sql.length());
        List<Integer> refs = new ArrayList<>();
        rewrite(sql, out, refs);
        List<Object> ordered = new ArrayList<>(refs.size());
        for (int ref : refs) {
            if (ref >= params.size()) {
                throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter $" + (ref + 1)
                        + " invalid: only " + params.size() + " parameter(s) were supplied");
            }
            ordered.add(params.get(ref));
        }
        return new Prepared(out.toString(), ordered);
    }

    /** Writes the rewritten text to {@code out} and the 0-based {@code $n} references, in order, to {@code refs}. */
    private static void rewrite(String sql, StringBuilder out, List<Integer> refs) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Token.Kind.PARAM) {
                int n = t.paramNumber();
                if (n < 1) {
                    throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter " + t.text()
                            + " invalid: parameters are numbered from $1");
                }
                if (n == Integer.MAX_VALUE) {
                    throw new KalamException(KalamErrorCode.INVALID_PARAMETER, "Parameter " + t.text()
                            + " invalid: no request carries that many parameters");
                }
                out.append(sql, copied, t.start()).append('?');
                refs.add(n - 1);
                copied = t.end();
            } else if (t.isSymbol("?")) {
                // the values of JDBC-style placeholders would come from nowhere: parameters are $1, $2, …
                throw SqlLexer.error(sql, t.start(), "'?' placeholders are not supported; use $1, $2, … for "
                        + "parameters");
            } else if (t.isWord("CURRENT_USER")) {
                out.append(sql, copied, t.start()).append("KALAM_CURRENT_USER()");
                copied = t.end();
                if (i + 2 < tokens.size() && tokens.get(i + 1).isSymbol("(") && tokens.get(i + 2).isSymbol(")")) {
                    copied = tokens.get(i + 2).end();
                    i += 2;
                }
            }
        }
        out.append(sql, copied, sql.length());
    }

    /**
     * The name a column list entry gives ({@code INSERT INTO t (a, b)}, {@code UPDATE t SET a = …}); anything
     * but a plain name is invalid SQL.
     */
    static String columnName(SqlNode node) {
        if (node instanceof SqlIdentifier id && id.isSimple()) {
            return id.getSimple();
        }
        throw KalamException.invalidSql("expected a column name [found=" + describe(node) + "]");
    }

    /** The table an INSERT, UPDATE or DELETE writes; anything but a table name is invalid SQL. */
    static List<String> targetTable(SqlNode node) {
        if (node instanceof SqlIdentifier id && !id.isStar()) {
            return id.names;
        }
        throw KalamException.invalidSql("expected a table name as the target [found=" + describe(node) + "]");
    }

    private static String describe(SqlNode node) {
        if (node == null) {
            return "nothing";
        }
        String text = node instanceof SqlIdentifier id ? String.join(".", id.names) : node.getKind().lowerName;
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    public static SqlNode parse(String sql) {
        try {
            return SqlParser.create(sql, PARSER).parseStmt();
        } catch (SqlParseException e) {
            throw QueryRunner.translate(e, sql);
        } catch (StackOverflowError e) {
            throw KalamException.invalidSql("statement too deeply nested");
        }
    }

    public static SqlNode parseExpression(String sql) {
        try {
            return SqlParser.create(sql, PARSER).parseExpression();
        } catch (SqlParseException e) {
            throw QueryRunner.translate(e, sql);
        } catch (StackOverflowError e) {
            throw KalamException.invalidSql("statement too deeply nested");
        }
    }

    public static String unparse(SqlNode node) {
        return node.toSqlString(DIALECT).getSql();
    }

    /** Whether the top-level query has its own LIMIT / FETCH. */
    public static boolean hasLimit(SqlNode node) {
        if (node instanceof SqlOrderBy o) {
            return o.fetch != null;
        }
        if (node instanceof SqlSelect s) {
            return s.getFetch() != null;
        }
        if (node instanceof SqlWith w) {
            return hasLimit(w.body);
        }
        return false;
    }

    /**
     * Refuses a top-level LIMIT or OFFSET literal that is not a whole number from 0 to {@link Long#MAX_VALUE}, with a
     * message that names the clause (Calcite's own would speak of a DECIMAL overflow).
     */
    public static void checkLimits(SqlNode node) {
        SqlNode fetch = null;
        SqlNode offset = null;
        if (node instanceof SqlOrderBy o) {
            fetch = o.fetch;
            offset = o.offset;
        } else if (node instanceof SqlSelect s) {
            fetch = s.getFetch();
            offset = s.getOffset();
        } else if (node instanceof SqlWith w) {
            checkLimits(w.body);
        }
        for (SqlNode n : new SqlNode[] {fetch, offset}) {
            if (n instanceof org.apache.calcite.sql.SqlNumericLiteral lit) {
                java.math.BigDecimal v = lit.getValueAs(java.math.BigDecimal.class);
                if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0
                        || v.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                    String text = v.toPlainString();
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "LIMIT and OFFSET must be whole numbers from 0 to "
                            + Long.MAX_VALUE + " [value=" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                            + "]");
                }
            }
        }
    }

    /** Whether any identifier of the statement names the {@code _deleted} column. */
    public static boolean mentionsDeleted(SqlNode node) {
        boolean[] found = {false};
        node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                if (!id.names.isEmpty() && id.names.get(id.names.size() - 1).equalsIgnoreCase("_deleted")) {
                    found[0] = true;
                }
                return id;
            }
        });
        return found[0];
    }

    /**
     * Whether {@code expression} contains anything that reads a table: a query (SELECT, VALUES, set operations,
     * WITH), {@code TABLE t}, EXISTS/UNIQUE, or a query constructor. Row filters of subscriptions and topic routes
     * test one row and may read nothing else.
     */
    public static boolean containsSubquery(SqlNode expression) {
        if (expression == null) {
            return false;
        }
        boolean[] found = {false};
        expression.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                SqlKind kind = call.getKind();
                if (kind.belongsTo(SqlKind.QUERY) || kind == SqlKind.EXPLICIT_TABLE || kind == SqlKind.EXISTS
                        || kind == SqlKind.UNIQUE || kind == SqlKind.SCALAR_QUERY || kind == SqlKind.WITH
                        || kind == SqlKind.ARRAY_QUERY_CONSTRUCTOR || kind == SqlKind.MAP_QUERY_CONSTRUCTOR
                        || kind == SqlKind.MULTISET_QUERY_CONSTRUCTOR || kind == SqlKind.LATERAL
                        || kind == SqlKind.COLLECTION_TABLE) {
                    found[0] = true;
                    return call;
                }
                return super.visit(call);
            }
        });
        return found[0];
    }

    /**
     * Every two-part identifier anywhere in {@code node} ({@code a.b}: a qualified table, or an alias and a column).
     * A conservative over-approximation of the qualified tables a text may name, whatever the syntax around them.
     */
    public static List<List<String>> qualifiedIdentifiers(SqlNode node) {
        List<List<String>> out = new ArrayList<>();
        node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                if (id.names.size() == 2) {
                    out.add(id.names);
                }
                return id;
            }
        });
        return out;
    }

    /**
     * The table names a query names in the shapes of FROM this walker knows (qualified as written: 1 or 2 parts),
     * CTE names excluded. For messages and the "one table" rule of subscriptions only: it is not what a plan
     * reads, and authorisation uses the plan (ADR 0004).
     */
    public static List<List<String>> tableNames(SqlNode node) {
        List<List<String>> out = new ArrayList<>();
        collect(node, new HashSet<>(), out);
        return out;
    }

    private static void collect(SqlNode node, Set<String> ctes, List<List<String>> out) {
        if (node == null) {
            return;
        }
        if (node instanceof SqlWith w) {
            Set<String> inner = new HashSet<>(ctes);
            for (SqlNode item : w.withList) {
                SqlWithItem wi = (SqlWithItem) item;
                collect(wi.query, inner, out);
                inner.add(wi.name.getSimple().toLowerCase(Locale.ROOT));
            }
            collect(w.body, inner, out);
            return;
        }
        if (node instanceof SqlSelect s) {
            collectFrom(s.getFrom(), ctes, out);
            for (SqlNode child : new SqlNode[] {s.getSelectList(), s.getWhere(), s.getGroup(), s.getHaving(),
                s.getOrderList()}) {
                collect(child, ctes, out);
            }
            return;
        }
        if (node instanceof SqlNodeList list) {
            for (SqlNode child : list) {
                collect(child, ctes, out);
            }
            return;
        }
        if (node instanceof SqlCall call) {
            for (SqlNode child : call.getOperandList()) {
                collect(child, ctes, out);
            }
        }
    }

    private static void collectFrom(SqlNode from, Set<String> ctes, List<List<String>> out) {
        if (from == null) {
            return;
        }
        if (from instanceof SqlIdentifier id) {
            if (!(id.names.size() == 1 && ctes.contains(id.names.get(0).toLowerCase(Locale.ROOT)))) {
                out.add(id.names);
            }
        } else if (from instanceof SqlJoin j) {
            collectFrom(j.getLeft(), ctes, out);
            collectFrom(j.getRight(), ctes, out);
            collect(j.getCondition(), ctes, out);
        } else if (from instanceof SqlBasicCall call && call.getKind() == SqlKind.AS) {
            collectFrom(call.operand(0), ctes, out);
        } else {
            collect(from, ctes, out);
        }
    }
}
