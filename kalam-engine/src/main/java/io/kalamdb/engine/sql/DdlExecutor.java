package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.AccessLevel;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Executes KalamDB's catalog statements: namespaces, tables, users, SHOW and DESCRIBE. */
public final class DdlExecutor {
    private static final Set<String> RESERVED_NAMESPACES = Set.of("system", "sys", "root", "kalamdb", "kalam",
            "main", "default", "sql", "admin", "internal", "information_schema", "pg_catalog", "datafusion");

    private final Catalog catalog;
    private final HotStore store;
    private final WriteLog log;
    private final PasswordHasher hasher;
    private final SystemTables systemTables;

    public DdlExecutor(Catalog catalog, HotStore store, WriteLog log, PasswordHasher hasher,
                       SystemTables systemTables) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.log = requireNonNull(log, "log is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
    }

    static long nowMicros() {
        return io.kalamdb.engine.util.Ids.statementMillis() * 1000L;
    }

    private void append(Command command) {
        log.commit(command);
    }

    /**
     * Runs a catalog statement. Its one write is an intent checked when it applies; when that fails with
     * {@code CONFLICT} (a concurrent statement changed what this one read) the statement is planned again from
     * the current catalog and resubmitted, so it then succeeds or fails as if it had run after the other one.
     */
    public StatementResult execute(Stmt stmt, Session s) {
        return ConflictRetry.run(() -> executeOnce(stmt, s));
    }

    private StatementResult executeOnce(Stmt stmt, Session s) {
        String me = s.userId();
        return switch (stmt) {
            case Stmt.CreateNamespace cn -> {
                if (RESERVED_NAMESPACES.contains(cn.name().toLowerCase(Locale.ROOT))) {
                    throw KalamException.execution("namespace name is reserved [namespace=" + cn.name() + "]");
                }
                if (catalog.namespace(cn.name()) != null) {
                    if (cn.ifNotExists()) {
                        yield StatementResult.message("Namespace '" + cn.name() + "' already exists", 0, me);
                    }
                    throw KalamException.execution("Namespace '" + cn.name() + "' already exists");
                }
                append(new Command.PutNamespace(new NamespaceDef(cn.name(), nowMicros(), null), true));
                yield StatementResult.message("Namespace '" + cn.name() + "' created successfully", 0, me);
            }
            case Stmt.DropNamespace dn -> {
                NamespaceDef ns = catalog.namespace(dn.name());
                if (ns == null) {
                    if (dn.ifExists()) {
                        yield StatementResult.message("Namespace '" + dn.name() + "' does not exist", 0, me);
                    }
                    throw KalamException.execution("Namespace '" + dn.name() + "' not found");
                }
                if (ns.name().equalsIgnoreCase("default")) {
                    throw KalamException.execution("the default namespace cannot be dropped");
                }
                append(new Command.DropNamespace(ns.name()));
                yield StatementResult.message("Namespace '" + ns.name() + "' dropped successfully", 0, me);
            }
            case Stmt.AlterNamespace an -> {
                NamespaceDef ns = catalog.namespace(an.name());
                if (ns == null) {
                    throw KalamException.execution("Namespace '" + an.name() + "' not found");
                }
                append(new Command.PutNamespace(new NamespaceDef(ns.name(), ns.createdAtMicros(), an.description()),
                        false));
                yield StatementResult.message("Namespace '" + ns.name() + "' altered successfully", 0, me);
            }
            case Stmt.ShowNamespaces ignored -> rows(systemTables.get("namespaces"), me, null);
            case Stmt.ShowTables st -> {
                if (st.namespace() != null && catalog.namespace(st.namespace()) == null) {
                    throw KalamException.execution("Namespace '" + st.namespace() + "' not found");
                }
                yield rows(systemTables.get("tables"), me, st.namespace());
            }
            case Stmt.UseNamespace use -> {
                if (catalog.namespace(use.name()) == null) {
                    throw KalamException.execution("Namespace '" + use.name() + "' not found");
                }
                yield StatementResult.message("Namespace switched to '" + use.name() + "'", 0, me);
            }
            case Stmt.CreateTable ct -> createTable(ct, s);
            case Stmt.AlterTable at -> alterTable(at, s);
            case Stmt.DropTable dt -> {
                TableDef t = catalog.table(dt.table().namespace(), dt.table().name());
                if (t == null) {
                    if (dt.ifExists()) {
                        yield StatementResult.message("Table " + dt.table().qualified() + " does not exist (skipped)",
                                0, me);
                    }
                    throw KalamException.tableNotFound(dt.table().qualified());
                }
                append(new Command.DropTable(t.id()));
                yield StatementResult.message("Table " + t.qualifiedName() + " dropped successfully", 0, me);
            }
            case Stmt.DescribeTable dt -> describe(dt, me);
            case Stmt.CreateIndex ci -> {
                TableDef t = catalog.table(ci.table().namespace(), ci.table().name());
                if (t == null) {
                    throw KalamException.tableNotFound(ci.table().qualified());
                }
                int idx = indexOrFail(t, ci.column());
                String name = t.qualifiedName() + " (" + t.columns().get(idx).name() + ")";
                if (t.isIndexed(idx)) {
                    if (ci.ifNotExists()) {
                        yield StatementResult.message("Index on " + name + " already exists", 0, me);
                    }
                    throw KalamException.execution("Index on " + name + " already exists");
                }
                append(new Command.AlterTable(t.id(), t.schemaVersion(), t.withIndex(t.columns().get(idx).id(),
                        nowMicros())));
                yield StatementResult.message("Index on " + name + " created", 0, me);
            }
            case Stmt.CreateUser cu -> createUser(cu, me);
            case Stmt.AlterUser au -> {
                UserRecord u = catalog.user(au.userId());
                if (u == null || u.isDeleted()) {
                    throw KalamException.execution("User '" + au.userId() + "' not found");
                }
                long now = nowMicros();
                if (au.password() != null) {
                    hasher.checkPolicy(au.password(), "");
                    append(new Command.SetUserPassword(u.id(), hasher.hash(au.password()), now));
                } else if (au.role() != null) {
                    append(new Command.SetUserRole(u.id(), au.role(), now));
                } else if (au.email() != null) {
                    append(new Command.SetUserEmail(u.id(), au.email(), now));
                } else if (au.lock() != null) {
                    if (au.lock() && u.id().equals("root")) {
                        throw KalamException.execution("the root user cannot be locked");
                    }
                    // an admin lock holds until UNLOCK
                    append(new Command.SetUserLock(u.id(), au.lock() ? UserRecord.ADMIN_LOCK_UNTIL_MICROS : null, now));
                }
                yield StatementResult.message("User '" + u.id() + "' updated", 0, me);
            }
            case Stmt.DropUser du -> {
                UserRecord u = catalog.user(du.userId());
                if (u == null || u.isDeleted()) {
                    if (du.ifExists()) {
                        yield StatementResult.message("User '" + du.userId() + "' does not exist (skipped)", 0, me);
                    }
                    throw KalamException.execution("User '" + du.userId() + "' not found");
                }
                if (u.id().equals("root")) {
                    throw KalamException.execution("the root user cannot be dropped");
                }
                append(new Command.DropUser(u.id(), nowMicros()));
                yield StatementResult.message("User '" + u.id() + "' dropped (soft delete)", 0, me);
            }
            default -> throw KalamException.internal("not a catalog statement: " + stmt.getClass().getSimpleName(),
                    null);
        };
    }

    private StatementResult createUser(Stmt.CreateUser cu, String me) {
        UserRecord existing = catalog.user(cu.userId());
        if (existing != null && !existing.isDeleted()) {
            throw KalamException.execution("User '" + cu.userId() + "' already exists");
        }
        String hash = "";
        if (cu.password() != null) {
            try {
                hasher.checkPolicy(cu.password(), "");
            } catch (KalamException e) {
                throw new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR, "Weak password: " + e.getMessage());
            }
            hash = hasher.hash(cu.password());
        }
        long now = nowMicros();
        append(new Command.PutUser(new UserRecord(cu.userId(), hash, cu.role(), cu.email(), cu.authType(), 0, null,
                null, now, now, null), true));
        return StatementResult.message("User '" + cu.userId() + "' created", 0, me);
    }

    private StatementResult createTable(Stmt.CreateTable ct, Session s) {
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
            throw KalamException.execution("Table " + existing.qualifiedName() + " already exists");
        }
        TableType type = Authorizer.resolveCreateType(ct, s);
        if (ct.accessLevel() != null && type != TableType.SHARED) {
            throw KalamException.execution("ACCESS_LEVEL is only supported for SHARED tables");
        }
        if (ct.ttlSeconds() != null && type != TableType.STREAM) {
            throw KalamException.execution("TTL_SECONDS is only supported for STREAM tables");
        }
        if (type == TableType.STREAM && ct.ttlSeconds() == null) {
            throw KalamException.execution("STREAM tables must specify 'TTL_SECONDS'");
        }
        if (ct.options().containsKey("USE_USER_STORAGE") && type != TableType.USER) {
            throw KalamException.execution("USE_USER_STORAGE is only supported for USER tables");
        }
        List<ColumnDef> columns = ct.columns();
        if (type != TableType.STREAM && columns.stream().noneMatch(ColumnDef::primaryKey)) {
            String kind = type == TableType.USER ? "User" : "Shared";
            throw KalamException.execution(kind + " tables require a PRIMARY KEY column (declare one, or give a "
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

    private StatementResult alterTable(Stmt.AlterTable at, Session s) {
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
                    throw KalamException.execution("column already exists [column=" + c.name() + "]");
                }
                if (c.primaryKey()) {
                    throw KalamException.execution("cannot add a PRIMARY KEY column to an existing table");
                }
                if (!c.nullable() && c.defaultValue() == null && hasRows(t)) {
                    throw KalamException.execution("cannot add NOT NULL column '" + c.name()
                            + "' without a DEFAULT to a table that has rows");
                }
                cols.add(new ColumnDef(nextId++, c.name(), c.type(), c.nullable(), c.defaultValue(), false,
                        c.comment()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.DropColumn drop -> {
                int idx = indexOrFail(t, drop.name());
                if (cols.get(idx).primaryKey()) {
                    throw KalamException.execution("cannot drop the primary key column [column=" + drop.name() + "]");
                }
                cols.remove(idx);
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.ModifyColumn mod -> {
                int idx = indexOrFail(t, mod.name());
                ColumnDef old = cols.get(idx);
                if ((old.primaryKey() || t.isIndexed(idx)) && !old.type().equals(mod.type()) && hasStoredKeys(t)) {
                    // stored keys and index entries hold the old type's encoding (ADR 0006)
                    throw KalamException.execution("cannot change the type of a primary key or indexed column of "
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
                    throw KalamException.execution("column name '" + rn.to() + "' is reserved for a system column");
                }
                if (t.column(rn.to()) != null && !rn.to().equalsIgnoreCase(rn.from())) {
                    throw KalamException.execution("column already exists [column=" + rn.to() + "]");
                }
                cols.set(idx, cols.get(idx).withName(rn.to()));
                changed = t.withColumns(cols, nextId, now);
            }
            case Stmt.AlterOp.SetAccessLevel sal -> {
                if (t.type() != TableType.SHARED) {
                    throw KalamException.execution("ACCESS_LEVEL is only supported for SHARED tables");
                }
                changed = t.withAccessLevel(sal.level(), now);
            }
        }
        append(new Command.AlterTable(t.id(), t.schemaVersion(), changed));
        return StatementResult.message("Table " + t.qualifiedName() + " altered successfully", 0, s.userId());
    }

    private static int indexOrFail(TableDef t, String column) {
        if (TableDef.isSystemColumn(column)) {
            throw KalamException.execution("cannot alter system column [column=" + column + "]");
        }
        int idx = t.columnIndex(column);
        if (idx < 0) {
            throw KalamException.execution("column does not exist [column=" + column + ", table="
                    + t.qualifiedName() + "]");
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

    private StatementResult describe(Stmt.DescribeTable dt, String me) {
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
