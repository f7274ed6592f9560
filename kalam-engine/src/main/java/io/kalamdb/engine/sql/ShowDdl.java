package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.List;

/** Answers SHOW NAMESPACES, SHOW TABLES and DESCRIBE TABLE from the catalog and the system tables. */
final class ShowDdl {
    private final Catalog catalog;
    private final SystemTables systemTables;

    ShowDdl(Catalog catalog, SystemTables systemTables) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
    }

    StatementResult showNamespaces(String me) {
        return rows(systemTables.get("namespaces"), me, null);
    }

    StatementResult showTables(Stmt.ShowTables st, String me) {
        if (st.namespace() != null && catalog.namespace(st.namespace()) == null) {
            throw new KalamException(KalamErrorCode.NAMESPACE_NOT_FOUND,
                    "Namespace '" + st.namespace() + "' not found");
        }
        return rows(systemTables.get("tables"), me, st.namespace());
    }

    StatementResult describe(Stmt.DescribeTable dt, String me) {
        TableDef t = catalog.table(dt.table().namespace(), dt.table().name());
        if (t == null) {
            throw KalamException.tableNotFound(dt.table().qualified());
        }
        List<ColumnInfo> schema = List.of(SystemTable.col("column_name", KalamType.TEXT),
                SystemTable.col("ordinal_position", KalamType.INT), SystemTable.col("column_id", KalamType.INT),
                SystemTable.col("data_type", KalamType.TEXT), SystemTable.col("is_nullable", KalamType.BOOLEAN),
                SystemTable.col("is_primary_key", KalamType.BOOLEAN),
                SystemTable.col("column_default", KalamType.TEXT), SystemTable.col("column_comment", KalamType.TEXT),
                SystemTable.col("schema_version", KalamType.INT));
        List<Object[]> rows = new ArrayList<>();
        int ordinal = 1;
        for (ColumnDef c : t.columns()) {
            rows.add(new Object[] {c.name(), ordinal++, c.id(), c.type().sqlName(), c.nullable(), c.primaryKey(),
                c.defaultValue() == null ? null : c.defaultValue().sqlText(), c.comment(), t.schemaVersion()});
        }
        rows.add(new Object[] {TableDef.SEQ, ordinal++, 0, "BIGINT", false, false, null, "system column",
            t.schemaVersion()});
        rows.add(new Object[] {TableDef.DELETED, ordinal, 0, "BOOLEAN", false, false, "FALSE", "system column",
            t.schemaVersion()});
        return StatementResult.rows(schema, rows, me, false);
    }

    private static StatementResult rows(SystemTable table, String me, String namespaceFilter) {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : table.rows()) {
            if (namespaceFilter == null || namespaceFilter.equalsIgnoreCase((String) r[0])) {
                rows.add(r);
            }
        }
        return StatementResult.rows(table.columns(), rows, me, false);
    }
}
