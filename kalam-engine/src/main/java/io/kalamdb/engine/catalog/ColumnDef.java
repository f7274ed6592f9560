package io.kalamdb.engine.catalog;

import static java.util.Objects.requireNonNull;

/**
 * One user-declared column of a table. {@code id} is stable across renames and is what stored rows refer to.
 */
public record ColumnDef(int id, String name, KalamType type, boolean nullable, DefaultValue defaultValue,
                        boolean primaryKey, String comment) {

    public ColumnDef {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public ColumnDef withName(String newName) {
        return new ColumnDef(id, newName, type, nullable, defaultValue, primaryKey, comment);
    }

    public ColumnDef withType(KalamType newType) {
        return new ColumnDef(id, name, newType, nullable, defaultValue, primaryKey, comment);
    }

    public ColumnDef withNullable(boolean newNullable) {
        return new ColumnDef(id, name, type, newNullable, defaultValue, primaryKey, comment);
    }

    public ColumnDef withDefault(DefaultValue newDefault) {
        return new ColumnDef(id, name, type, nullable, newDefault, primaryKey, comment);
    }
}
