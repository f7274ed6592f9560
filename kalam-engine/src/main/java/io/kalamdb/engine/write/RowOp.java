package io.kalamdb.engine.write;

/**
 * One row change inside a {@link Command.Rows}. {@code row} is the {@code RowCodec} encoding of the new
 * values (its seq and deleted fields are stamped at apply); {@code oldPk} is set when an UPDATE moves a row to
 * a new primary key.
 */
public record RowOp(Kind kind, long tableId, String partition, byte[] pk, byte[] row, byte[] oldPk) {

    /** What the op does to the row at {@code pk}. */
    public enum Kind {
        /** Adds a row; fails the whole command if a live row has the key. */
        INSERT,
        /** Replaces a live row; a no-op if the row is gone by the time it applies. */
        UPDATE,
        /** Marks a live row deleted (a new version with {@code _deleted = true}). */
        SOFT_DELETE,
        /** Removes the row (STREAM tables and TTL eviction). */
        HARD_DELETE
    }
}
