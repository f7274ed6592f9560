package io.kalamdb.engine.sql;

import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUpdate;

/**
 * Parses the statements Calcite reads: queries, EXPLAIN, INSERT/UPDATE/DELETE, and SUBSCRIBE TO (a query with
 * subscription options).
 */
final class QueryStatements {

    private QueryStatements() {
    }

    static Stmt.Query query(String sql, List<Object> params, String defaultNamespace, boolean explain) {
        CalciteSql.Parsed p = CalciteSql.parseCached(sql, params);
        SqlNode node = p.node();
        if (!node.getKind().belongsTo(SqlKind.QUERY)) {
            throw KalamException.invalidSql("expected a query [kind=" + node.getKind() + "]");
        }
        String shapeKey = defaultNamespace + '\u0000' + p.sql();
        QueryShape shape = SHAPES.get(shapeKey);
        if (shape == null) {
            CalciteSql.checkLimits(node);
            List<Stmt.TableRef> refs = new ArrayList<>();
            for (List<String> names : CalciteSql.tableNames(node)) {
                refs.add(KalamParser.tableRef(names, defaultNamespace));
            }
            shape = new QueryShape(List.copyOf(refs), CalciteSql.mentionsDeleted(node), CalciteSql.hasLimit(node));
            if (shapeKey.length() <= MAX_SHAPE_KEY_LENGTH) {
                SHAPES.put(shapeKey, shape);
            }
        }
        List<Stmt.TableRef> tables = shape.tables();
        String text = "EXPLAIN PLAN FOR " + p.sql();
        List<Object> queryParams = p.params();
        if (!explain) {
            // EXPLAIN shows the plan of the text as written; a query runs the plan of its normalised template
            LiteralNormalizer.Normalized n = LiteralNormalizer.normalize(p.sql(), node, p.params());
            text = n.sql();
            queryParams = n.params();
        }
        return new Stmt.Query(text, node, queryParams, tables, shape.mentionsDeleted(), shape.hasLimit(), explain);
    }

    /** What a query text names and asks for, which depends on the text and the namespace only. */
    private record QueryShape(List<Stmt.TableRef> tables, boolean mentionsDeleted, boolean hasLimit) {
    }

    private static final int MAX_SHAPE_KEY_LENGTH = 8 * 1024;
    /** Query shapes by namespace and text: hot texts repeat, and walking their trees costs more than a lookup. */
    private static final java.util.Map<String, QueryShape> SHAPES = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, QueryShape> eldest) {
                    return size() > 2048;
                }
            });

    static Stmt explain(TokenCursor c, List<Object> params, String defaultNamespace) {
        c.next();
        c.acceptWords("PLAN", "FOR");
        return query(c.rest(), params, defaultNamespace, true);
    }

    static Stmt dml(TokenCursor c, List<Object> params, String defaultNamespace) {
        String sql = c.sql();
        Stmt.Insert simple = SimpleInsertParser.tryParse(c.tokens(), params, defaultNamespace);
        if (simple != null) {
            return simple;
        }
        CalciteSql.Parsed p = CalciteSql.parseCached(sql, params);
        SqlNode node = p.node();
        return switch (node) {
            case SqlInsert insert -> insert(insert, p.params(), defaultNamespace);
            case SqlUpdate update -> new Stmt.Update(
                    KalamParser.tableRef(CalciteSql.targetTable(update.getTargetTable()), defaultNamespace), update,
                    p.params());
            case SqlDelete delete -> new Stmt.Delete(
                    KalamParser.tableRef(CalciteSql.targetTable(delete.getTargetTable()), defaultNamespace), delete,
                    p.params());
            default -> throw KalamException.invalidSql("unsupported statement [kind=" + node.getKind() + "]");
        };
    }

    private static Stmt.Insert insert(SqlInsert insert, List<Object> params, String defaultNamespace) {
        List<String> columns = null;
        if (insert.getTargetColumnList() != null && !insert.getTargetColumnList().isEmpty()) {
            columns = new ArrayList<>();
            for (SqlNode c : insert.getTargetColumnList()) {
                columns.add(CalciteSql.columnName(c));
            }
        }
        SqlNode source = insert.getSource();
        List<List<SqlNode>> rows = null;
        SqlNode query = null;
        if (source.getKind() == SqlKind.VALUES) {
            rows = new ArrayList<>();
            for (SqlNode row : ((org.apache.calcite.sql.SqlCall) source).getOperandList()) {
                rows.add(((org.apache.calcite.sql.SqlCall) row).getOperandList());
            }
        } else {
            query = source;
        }
        return new Stmt.Insert(KalamParser.tableRef(CalciteSql.targetTable(insert.getTargetTable()), defaultNamespace),
                columns, rows, query, params);
    }

    static Stmt subscribe(TokenCursor c, List<Object> params, String defaultNamespace) {
        c.expectWord("SUBSCRIBE");
        c.expectWord("TO");
        Map<String, Long> options = new LinkedHashMap<>();
        String select;
        Stmt.TableRef ref;
        if (c.peekWord("SELECT")) {
            String rest = c.rest();
            int optionsAt = indexOfOptions(rest);
            select = optionsAt < 0 ? rest : rest.substring(0, optionsAt).strip();
            Stmt.Query q = query(select, params, defaultNamespace, false);
            if (q.tables().size() != 1) {
                throw KalamException.invalidSql("a subscription reads exactly one table");
            }
            ref = q.tables().get(0);
            if (optionsAt >= 0) {
                parseOptions(new TokenCursor(rest.substring(optionsAt)), options);
            }
        } else {
            ref = KalamParser.tableRef(c, defaultNamespace);
            StringBuilder sql = new StringBuilder("SELECT * FROM " + ref.qualified());
            if (c.acceptWord("WHERE")) {
                int start = c.position();
                while (!c.atEnd() && !c.peekWord("OPTIONS")) {
                    c.next();
                }
                if (c.position() == start) {
                    throw c.error("expected a condition after WHERE");
                }
                sql.append(" WHERE ").append(c.textBetween(start, c.position()));
            }
            if (!c.atEnd()) {
                parseOptions(c, options);
            }
            select = sql.toString();
            query(select, params, defaultNamespace, false);
        }
        return new Stmt.Subscribe(ref, select, options);
    }

    private static int indexOfOptions(String sql) {
        for (Token t : SqlLexer.tokenize(sql)) {
            if (t.isWord("OPTIONS")) {
                return t.start();
            }
        }
        return -1;
    }

    private static void parseOptions(TokenCursor c, Map<String, Long> options) {
        c.expectWord("OPTIONS");
        c.expectSymbol("(");
        do {
            String key = c.identifier("option name").toLowerCase(Locale.ROOT);
            if (key.equals("from_seq_id")) {
                key = "from";
            }
            if (!Set.of("last_rows", "batch_size", "from").contains(key)) {
                throw KalamException.invalidSql("unknown subscription option '" + key
                        + "' (last_rows, batch_size or from)");
            }
            c.expectSymbol("=");
            options.put(key, c.number(key));
        } while (c.acceptSymbol(","));
        c.expectSymbol(")");
        c.expectEnd();
    }
}
