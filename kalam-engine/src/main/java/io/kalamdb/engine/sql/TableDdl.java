package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.Space;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the table statements: CREATE, ALTER and DROP TABLE, and CREATE INDEX. */
final class TableDdl {
    private final Catalog catalog;
    private final HotStore store;
    private final WriteLog log;

    TableDdl(Catalog catalog, HotStore store, WriteLog log) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.log = requireNonNull(log, "log is null");
    }

    private void append(Command command) {
        log.commit(command);
    }

    private static long nowMicros() {
        return DdlExecutor.nowMicros();
    }

    StatementResult createTable(Stmt.CreateTable ct, Session s) {
        String me = s.userId();
        if (catalog.namespace(ct.table().namespace()) == null) {
            throw KalamException.namespaceNotFound(ct.table().namespace());
        }
        TableDef existing = catalog.table(ct.table().namespace(), ct.table().name());
        if (existing != null) {
            if (ct.ifNotExists()) {
                return StatementResult.message("Table " + existing.qualifiedName()
                        + " already exists (IF NOT EXISTS)", 0, me);
            }
            throw new KalamException(KalamErrorCode.TABLE_EXISTS,
                    "Table " + existing.qualifiedName() + " already exists");
        }
        TableType type = Authorizer.resolveCreateType(ct, s);
        if (ct.accessLevel() != null && type != TableType.SHARED) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "ACCESS_LEVEL is only supported for SHARED tables");
        }
        if (ct.ttlSeconds() != null && type != TableType.STREAM) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "TTL_SECONDS is only supported for STREAM tables");
        }
        if (type == TableType.STREAM && ct.ttlSeconds() == null) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION, "STREAM tables must specify 'TTL_SECONDS'");
        }
        if (ct.options().containsKey("USE_USER_STORAGE") && type != TableType.USER) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "USE_USER_STORAGE is only supported for USER tables");
        }
        List<ColumnDef> columns = ct.columns();
        if (type != TableType.STREAM && columns.stream().noneMatch(ColumnDef::primaryKey)) {
            String kind = type == TableType.USER ? "User" : "Shared";
            throw new KalamException(KalamErrorCode.INVALID_DEFINITION,
                    kind + " tables require a PRIMARY KEY column (declare one, or give a "
                    + "column DEFAULT SNOWFLAKE_ID(), UUID_V7() or ULID() to make it the key)");
        }
        Map<String, String> options = new HashMap<>(ct.options());
        AccessLevel level = type == TableType.SHARED ? (ct.accessLevel() == null ? AccessLevel.PRIVATE
                : ct.accessLevel()) : null;
        long now = nowMicros();
        // id 0: the applier assigns the table's id from its replicated counter
        TableDef def = new TableDef(0, catalog.namespace(ct.table().namespace()).name(),
                ct.table().name(), type, columns, options, level, ct.ttlSeconds(), 1, columns.size() + 1, now, now,
                List.of());
        append(new Command.PutTable(def, true));
        return StatementResult.message(type.wireName() + " table " + def.qualifiedName() + " created successfully",
                0, me);
    }

    StatementResult alterTable(Stmt.AlterTable at, Session s) {
        TableDef t = catalog.table(at.table().namespace(), at.table().name());
        if (t == null) {
            throw KalamException.tableNotFound(at.table().qualified());
        }
        long now = nowMicros();
        List<ColumnDef> cols = new ArrayList<>(t.columns());
        int nextId = t.nextColumnId();
        TableDef changed;
        switch (at.op()) {
            case Stmt.AlterOp.AddColumn add -> {
                ColumnDef c = add.column();
                if (t.column(c.name()) != null) {
                    throw new KalamException(KalamErrorCode.COLUMN_EXISTS,
                            "column already exists [column=" + c.name() + "]");
                }
                if (c.primaryKey()) {
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "cannot add a PRIMARY KEY column to an existing table");
                }
                if (!c.nullable() && c.defaultValue() == null && hasRows(t)) {
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "cannot add NOT NULL column '" + c.name()
                            + "' without a DEFAULT to a table that has rows");
                }
                cols.add(new ColumnDef(nextId++, c.name(), c.type(), c.nullable(), c.defaultValue(), false,
                        c.comment()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.DropColumn drop -> {
                int idx = indexOrFail(t, drop.name());
                if (cols.get(idx).primaryKey()) {
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "cannot drop the primary key column [column=" + drop.name() + "]");
                }
                cols.remove(idx);
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.ModifyColumn mod -> {
                int idx = indexOrFail(t, mod.name());
                ColumnDef old = cols.get(idx);
                if ((old.primaryKey() || t.isIndexed(idx)) && !old.type().equals(mod.type()) && hasStoredKeys(t)) {
                    // stored keys and index entries hold the old type's encoding (ADR 0006)
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "cannot change the type of a primary key or indexed column of "
                            + "a table that has rows [column=" + old.name() + "]");
                }
                ColumnDef c = old.withType(mod.type());
                if (mod.nullable() != null) {
                    c = c.withNullable(mod.nullable());
                }
                cols.set(idx, c);
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.SetNullable sn -> {
                int idx = indexOrFail(t, sn.name());
                cols.set(idx, cols.get(idx).withNullable(sn.nullable()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.SetDefault sd -> {
                int idx = indexOrFail(t, sd.name());
                cols.set(idx, cols.get(idx).withDefault(sd.value()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.RenameColumn rn -> {
                int idx = indexOrFail(t, rn.from());
                if (TableDef.isSystemColumn(rn.to())) {
                    throw new KalamException(KalamErrorCode.RESERVED_NAME,
                            "column name '" + rn.to() + "' is reserved for a system column");
                }
                if (t.column(rn.to()) != null && !rn.to().equalsIgnoreCase(rn.from())) {
                    throw new KalamException(KalamErrorCode.COLUMN_EXISTS,
                            "column already exists [column=" + rn.to() + "]");
                }
                cols.set(idx, cols.get(idx).withName(rn.to()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.SetAccessLevel sal -> {
                if (t.type() != TableType.SHARED) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "ACCESS_LEVEL is only supported for SHARED tables");
                }
                changed = t.withAccessLevel(sal.level(), now);
            }
        }
        append(new Command.AlterTable(t.id(), t.schemaVersion(), changed));
        return StatementResult.message("Table " + t.qualifiedName() + " altered successfully", 0, s.userId());
    }

    StatementResult dropTable(Stmt.DropTable dt, String me) {
        TableDef t = catalog.table(dt.table().namespace(), dt.table().name());
        if (t == null) {
            if (dt.ifExists()) {
                return StatementResult.message("Table " + dt.table().qualified() + " does not exist (skipped)",
                        0, me);
            }
            throw KalamException.tableNotFound(dt.table().qualified());
        }
        append(new Command.DropTable(t.id()));
        return StatementResult.message("Table " + t.qualifiedName() + " dropped successfully", 0, me);
    }

    StatementResult createIndex(Stmt.CreateIndex ci, String me) {
        TableDef t = catalog.table(ci.table().namespace(), ci.table().name());
        if (t == null) {
            throw KalamException.tableNotFound(ci.table().qualified());
        }
        int idx = indexOrFail(t, ci.column());
        String name = t.qualifiedName() + " (" + t.columns().get(idx).name() + ")";
        if (t.isIndexed(idx)) {
            if (ci.ifNotExists()) {
                return StatementResult.message("Index on " + name + " already exists", 0, me);
            }
            throw new KalamException(KalamErrorCode.OBJECT_EXISTS, "Index on " + name + " already exists");
        }
        append(new Command.AlterTable(t.id(), t.schemaVersion(), t.withIndex(t.columns().get(idx).id(),
                nowMicros())));
        return StatementResult.message("Index on " + name + " created", 0, me);
    }

    private static int indexOrFail(TableDef t, String column) {
        if (TableDef.isSystemColumn(column)) {
            throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                    "cannot alter system column [column=" + column + "]");
        }
        int idx = t.columnIndex(column);
        if (idx < 0) {
            throw KalamException.columnNotFound(column, t.qualifiedName());
        }
        return idx;
    }

    /** Whether any row key of the table is stored, deleted rows included. */
    private boolean hasStoredKeys(TableDef t) {
        try (HotStore.Cursor c = store.scan(Space.ROWS, KeyCodec.tablePrefix(t.id()), false)) {
            return c.next();
        }
    }

    private boolean hasRows(TableDef t) {
        try (HotStore.Cursor c = store.scan(Space.ROWS, KeyCodec.tablePrefix(t.id()), false)) {
            while (c.next()) {
                if (!RowCodec.isDeleted(c.value())) {
                    return true;
                }
            }
        }
        return false;
    }
}
