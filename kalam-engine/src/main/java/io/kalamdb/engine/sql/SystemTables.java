package io.kalamdb.engine.sql;

import static io.kalamdb.engine.sql.SystemTable.col;
import static io.kalamdb.engine.sql.SystemTable.pk;

import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.util.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code system} namespace: users, namespaces, tables, columns and schemas, built from the catalog. */
public final class SystemTables {
    public static final String NAMESPACE = "system";
    /** The value {@code password_hash} shows for a user who has a password. */
    public static final String PASSWORD_MASK = "********";

    private final Map<String, SystemTable> tables = new LinkedHashMap<>();

    public SystemTables(Catalog catalog) {
        add(new SystemTable("users", List.of(pk("user_id", KalamType.TEXT), col("password_hash", KalamType.TEXT),
                col("role", KalamType.TEXT), col("email", KalamType.TEXT), col("auth_type", KalamType.TEXT),
                col("auth_data", KalamType.JSON), col("storage_mode", KalamType.TEXT),
                col("storage_id", KalamType.TEXT), col("failed_login_attempts", KalamType.INT),
                col("locked_until", KalamType.TIMESTAMP), col("last_login_at", KalamType.TIMESTAMP),
                col("created_at", KalamType.TIMESTAMP), col("updated_at", KalamType.TIMESTAMP),
                col("last_seen", KalamType.TIMESTAMP), col("deleted_at", KalamType.TIMESTAMP)),
                () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (UserRecord u : catalog.users()) {
                        rows.add(new Object[] {u.id(), maskedHash(u), u.role().wireName(), u.email(),
                            u.authType(), null, "table", "local", u.failedLoginAttempts(), u.lockedUntilMicros(),
                            u.lastLoginAtMicros(), u.createdAtMicros(), u.updatedAtMicros(), u.lastLoginAtMicros(),
                            u.deletedAtMicros()});
                    }
                    return rows;
                }));
        add(new SystemTable("namespaces", List.of(pk("namespace_id", KalamType.TEXT), col("name", KalamType.TEXT),
                col("created_at", KalamType.TIMESTAMP), col("options", KalamType.JSON),
                col("table_count", KalamType.INT)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (NamespaceDef ns : catalog.namespaces()) {
                        String options = ns.description() == null ? "{}"
                                : new String(Json.write(Map.of("description", ns.description())),
                                StandardCharsets.UTF_8);
                        rows.add(new Object[] {ns.name(), ns.name(), ns.createdAtMicros(), options,
                            catalog.tables(ns.name()).size()});
                    }
                    return rows;
                }));
        add(new SystemTable("tables", List.of(col("namespace_id", KalamType.TEXT), col("table_name", KalamType.TEXT),
                col("table_type", KalamType.TEXT), col("storage_id", KalamType.TEXT), col("version", KalamType.INT),
                col("options", KalamType.JSON), col("comment", KalamType.TEXT),
                col("updated_at", KalamType.TIMESTAMP), col("created_at", KalamType.TIMESTAMP)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (TableDef t : catalog.tables()) {
                        rows.add(tableRow(t));
                    }
                    return rows;
                }));
        add(new SystemTable("columns", List.of(col("namespace_id", KalamType.TEXT), col("table_name", KalamType.TEXT),
                col("version", KalamType.INT), col("column_id", KalamType.INT), col("column_name", KalamType.TEXT),
                col("comment", KalamType.TEXT), col("data_type", KalamType.TEXT),
                col("default_value", KalamType.TEXT), col("ordinal", KalamType.INT),
                col("nullable", KalamType.BOOLEAN), col("primary_key", KalamType.BOOLEAN),
                col("primary_key_pos", KalamType.INT)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (TableDef t : catalog.tables()) {
                        int ordinal = 1;
                        for (ColumnDef c : t.columns()) {
                            rows.add(new Object[] {t.namespace(), t.name(), t.schemaVersion(), c.id(), c.name(),
                                c.comment(), c.type().sqlName(),
                                c.defaultValue() == null ? null : c.defaultValue().sqlText(), ordinal++,
                                c.nullable(), c.primaryKey(), c.primaryKey() ? 1 : null});
                        }
                    }
                    return rows;
                }));
        add(new SystemTable("schemas", List.of(pk("table_id", KalamType.TEXT), col("table_name", KalamType.TEXT),
                col("namespace_id", KalamType.TEXT), col("table_type", KalamType.TEXT),
                col("created_at", KalamType.TIMESTAMP), col("schema_version", KalamType.INT),
                col("columns", KalamType.JSON), col("table_comment", KalamType.TEXT),
                col("updated_at", KalamType.TIMESTAMP), col("options", KalamType.JSON),
                col("access_level", KalamType.TEXT), col("is_latest", KalamType.BOOLEAN),
                col("storage_id", KalamType.TEXT), col("use_user_storage", KalamType.BOOLEAN)), () -> {
                    List<Object[]> rows = new ArrayList<>();
                    for (TableDef t : catalog.tables()) {
                        rows.add(new Object[] {t.namespace() + ":" + t.name(), t.name(), t.namespace(),
                            t.type().wireName(), t.createdAtMicros(), t.schemaVersion(),
                            new String(Json.write(t.columns()), StandardCharsets.UTF_8), null, t.updatedAtMicros(),
                            optionsJson(t), t.accessLevel() == null ? null : t.accessLevel().wireName(), true,
                            "local", false});
                    }
                    return rows;
                }));
    }

    /**
     * What {@code system.users.password_hash} shows to anyone, admins included (reference 6.4): a fixed mask when
     * a hash is set, null otherwise. The hash itself never enters a SQL plan, whatever the query.
     */
    static String maskedHash(UserRecord u) {
        return u.passwordHash() == null || u.passwordHash().isEmpty() ? null : PASSWORD_MASK;
    }

    static Object[] tableRow(TableDef t) {
        return new Object[] {t.namespace(), t.name(), t.type().wireName(), "local", t.schemaVersion(),
            optionsJson(t), null, t.updatedAtMicros(), t.createdAtMicros()};
    }

    static String optionsJson(TableDef t) {
        Map<String, Object> o = new LinkedHashMap<>(t.options());
        o.put("TYPE", t.type().name());
        if (t.ttlSeconds() != null) {
            o.put("TTL_SECONDS", t.ttlSeconds());
        }
        if (t.accessLevel() != null) {
            o.put("ACCESS_LEVEL", t.accessLevel().name());
        }
        return new String(Json.write(o), StandardCharsets.UTF_8);
    }

    /** Adds a view (later issues add live queries, topics). */
    public void add(SystemTable table) {
        tables.put(table.name(), table);
    }

    public SystemTable get(String name) {
        return tables.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Map<String, SystemTable> all() {
        return tables;
    }
}
