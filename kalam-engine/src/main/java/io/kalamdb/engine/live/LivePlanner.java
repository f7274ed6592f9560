package io.kalamdb.engine.live;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.sql.CalciteSql;
import io.kalamdb.engine.sql.FilterCompiler;
import io.kalamdb.engine.sql.RowPredicate;

import java.util.ArrayList;
import java.util.List;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;

/**
 * Turns a subscription's SQL into a {@link LivePlan}: checks that it is a plain filter over one table the session
 * may read, resolves its columns and has Calcite compile its WHERE, so that a subscription's rows are exactly
 * the rows of the same SELECT.
 */
final class LivePlanner {
    private final Catalog catalog;

    LivePlanner(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** The plan of {@code sql} for {@code session}; a statement a subscription cannot serve is refused. */
    LivePlan plan(String sql, Session session) {
        // the statement splitter and parser of HTTP first, so that a statement they reject has the same message here
        try {
            io.kalamdb.engine.sql.SqlLexer.splitStatements(sql);
        } catch (KalamException e) {
            throw new KalamException(io.kalamdb.engine.error.KalamErrorCode.BATCH_PARSE_ERROR,
                    "Failed to parse SQL batch: " + e.getMessage(), e.line(), e.column(), e);
        }
        io.kalamdb.engine.sql.KalamParser.parse(sql, List.of(), "default");
        String prepared = CalciteSql.prepare(sql, List.of()).sql();
        SqlNode node = CalciteSql.parse(prepared);
        if (!(node instanceof SqlSelect s)) {
            String what = node.getKind() == SqlKind.ORDER_BY ? "ORDER BY, LIMIT and OFFSET" : node.getKind().name();
            throw KalamException.invalidSql("Subscription query does not support " + what
                    + ". Use: SELECT <columns>|* FROM <namespace>.<table> [WHERE <condition>]");
        }
        if (s.isDistinct() || s.getGroup() != null || s.getHaving() != null || s.getFetch() != null
                || s.getOffset() != null || (s.getOrderList() != null && s.getOrderList().size() > 0)
                || (s.getWindowList() != null && s.getWindowList().size() > 0)) {
            throw KalamException.invalidSql("Subscription query does not support DISTINCT, GROUP BY, HAVING, "
                    + "ORDER BY, LIMIT or OFFSET");
        }
        if (!(s.getFrom() instanceof SqlIdentifier from)) {
            throw KalamException.invalidSql("Subscription query must read exactly one table (no JOIN, subquery "
                    + "or alias)");
        }
        if (from.names.size() != 2) {
            throw KalamException.invalidSql("Query must use namespace.table format [table=" + from + "]");
        }
        String ns = from.names.get(0);
        String name = from.names.get(1);
        if (ns.equalsIgnoreCase("system")) {
            throw new KalamException(session.isAdmin() ? KalamErrorCode.UNSUPPORTED : KalamErrorCode.PERMISSION_DENIED,
                    session.isAdmin() ? "live subscriptions to system tables are not supported; query them instead"
                            : "Admin privileges (DBA or System role) required to subscribe to system tables");
        }
        TableDef t = catalog.table(ns, name);
        if (t == null) {
            // the same code and message as the same mistake over HTTP (a WebSocket error frame says NOT_FOUND)
            throw KalamException.tableNotFound(ns + "." + name);
        }
        if (t.type() == TableType.SHARED) {
            AccessLevel level = t.accessLevel() == null ? AccessLevel.PRIVATE : t.accessLevel();
            if (!level.canRead(session.role())) {
                throw KalamException.permissionDenied("Cannot subscribe to shared table " + t.qualifiedName()
                        + ": access level " + level.wireName() + " does not allow role " + session.role().wireName());
            }
        }
        if (CalciteSql.containsSubquery(s.getWhere())) {
            throw KalamException.invalidSql("Subscription filters cannot contain subqueries");
        }
        List<String> projection = new ArrayList<>();
        List<ColumnInfo> schema = new ArrayList<>();
        for (SqlNode item : s.getSelectList()) {
            if (!(item instanceof SqlIdentifier id)) {
                throw KalamException.invalidSql("Subscription queries select plain columns or * [item=" + item + "]");
            }
            if (id.isStar()) {
                for (ColumnDef c : t.columns()) {
                    addColumn(t, c.name(), projection, schema);
                }
                addColumn(t, TableDef.SEQ, projection, schema);
                addColumn(t, TableDef.DELETED, projection, schema);
            } else {
                String col = id.names.get(id.names.size() - 1);
                if (t.column(col) == null && !TableDef.isSystemColumn(col)) {
                    // the same words as a SELECT over HTTP (QueryRunner names an unknown column this way)
                    throw KalamException.columnNotFound(col, t.qualifiedName());
                }
                addColumn(t, col, projection, schema);
            }
        }
        addColumn(t, TableDef.SEQ, projection, schema);
        // Compiled by Calcite from the whole text, so the filter is exactly the WHERE of the same SELECT.
        RowPredicate filter = s.getWhere() == null ? RowPredicate.all(t)
                : FilterCompiler.compile(t, prepared, session.userId());
        return new LivePlan(t, projection, schema, filter);
    }

    private static void addColumn(TableDef t, String name, List<String> projection, List<ColumnInfo> schema) {
        String canonical;
        ColumnInfo info;
        if (name.equalsIgnoreCase(TableDef.SEQ)) {
            canonical = TableDef.SEQ;
            info = new ColumnInfo(canonical, KalamType.BIGINT, List.of());
        } else if (name.equalsIgnoreCase(TableDef.DELETED)) {
            canonical = TableDef.DELETED;
            info = new ColumnInfo(canonical, KalamType.BOOLEAN, List.of());
        } else {
            ColumnDef c = t.column(name);
            canonical = c.name();
            info = new ColumnInfo(canonical, c.type(), c.primaryKey() ? List.of("pk", "nn", "uq")
                    : c.nullable() ? List.of() : List.of("nn"));
        }
        if (!projection.contains(canonical)) {
            projection.add(canonical);
            schema.add(info);
        }
    }
}
