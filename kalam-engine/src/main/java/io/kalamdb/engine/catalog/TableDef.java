package io.kalamdb.engine.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's definition: its identity, type, user columns (in ordinal order) and options.
 * The system columns {@code _seq} and {@code _deleted} are implicit and follow the user columns.
 */
public record TableDef(long id, String namespace, String name, TableType type, List<ColumnDef> columns,
                       Map<String, String> options, AccessLevel accessLevel, Long ttlSeconds, int schemaVersion,
                       int nextColumnId, long createdAtMicros, long updatedAtMicros, List<Integer> indexedColumnIds) {

    public static final String SEQ = "_seq";
    public static final String DELETED = "_deleted";

    public TableDef {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        columns = List.copyOf(columns);
        options = Map.copyOf(options);
        indexedColumnIds = indexedColumnIds == null ? List.of() : List.copyOf(indexedColumnIds);
    }

    public String qualifiedName() {
        return namespace + "." + name;
    }

    /** The user column with this name (case-insensitive), or null. */
    public ColumnDef column(String columnName) {
        for (ColumnDef c : columns) {
            if (c.name().equalsIgnoreCase(columnName)) {
                return c;
            }
        }
        return null;
    }

    public int columnIndex(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(columnName)) {
                return i;
            }
        }
        return -1;
    }

    public ColumnDef primaryKey() {
        for (ColumnDef c : columns) {
            if (c.primaryKey()) {
                return c;
            }
        }
        return null;
    }

    public int primaryKeyIndex() {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).primaryKey()) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isSystemColumn(String columnName) {
        String n = columnName.toLowerCase(Locale.ROOT);
        return n.equals(SEQ) || n.equals(DELETED) || n.equals("_commit_seq");
    }

    /** A copy with new columns, a bumped schema version and update time. */
    public TableDef withColumns(List<ColumnDef> newColumns, int newNextColumnId, long nowMicros) {
        List<Integer> kept = new ArrayList<>();
        for (ColumnDef c : newColumns) {
            if (indexedColumnIds.contains(c.id())) {
                kept.add(c.id());
            }
        }
        return new TableDef(id, namespace, name, type, newColumns, options, accessLevel, ttlSeconds,
                schemaVersion + 1, newNextColumnId, createdAtMicros, nowMicros, kept);
    }

    /** A copy with the id and created/updated time the applier assigned when the table was created. */
    public TableDef withIdentity(long newId, long createdMicros) {
        return new TableDef(newId, namespace, name, type, columns, options, accessLevel, ttlSeconds, schemaVersion,
                nextColumnId, createdMicros, createdMicros, indexedColumnIds);
    }

    public TableDef withAccessLevel(AccessLevel level, long nowMicros) {
        return new TableDef(id, namespace, name, type, columns, options, level, ttlSeconds,
                schemaVersion + 1, nextColumnId, createdAtMicros, nowMicros, indexedColumnIds);
    }

    /** A copy that also indexes the column with this id (CREATE INDEX). */
    public TableDef withIndex(int columnId, long nowMicros) {
        List<Integer> ids = new ArrayList<>(indexedColumnIds);
        ids.add(columnId);
        return new TableDef(id, namespace, name, type, columns, options, accessLevel, ttlSeconds,
                schemaVersion + 1, nextColumnId, createdAtMicros, nowMicros, ids);
    }

    /** Whether equality lookups on this column can use a secondary index. */
    public boolean isIndexed(int columnIndex) {
        return columnIndex >= 0 && indexedColumnIds.contains(columns.get(columnIndex).id());
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns.size());
        for (ColumnDef c : columns) {
            names.add(c.name());
        }
        return names;
    }
}
