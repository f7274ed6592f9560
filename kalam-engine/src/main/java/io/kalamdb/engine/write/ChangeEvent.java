package io.kalamdb.engine.write;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.StoredRow;

/**
 * A committed row change, published after the write is durable, in commit order. For an insert
 * {@code oldRow} is null; for a delete {@code newRow} is the tombstone version (or null for a hard delete).
 */
public record ChangeEvent(TableDef table, String partition, Type type, StoredRow oldRow, StoredRow newRow,
                          long seq) {

    /** The kind of change as the live-query protocol names it. */
    public enum Type { INSERT, UPDATE, DELETE }
}
