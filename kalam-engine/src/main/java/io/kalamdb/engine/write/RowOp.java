package io.kalamdb.engine.write;

/**
 * One row change inside a {@link Command.Rows}. {@code row} is the {@code RowCodec} encoding of the new
 * values (its seq and deleted fields are stamped at apply); {@code oldPk} is set when an UPDATE moves a row to
 * a new primary key. {@code expectedSeq}, when set, is the {@code _seq} of the version the statement read (the
 * row at {@code oldPk}, else at {@code pk}): if the stored row is no longer that version when the command applies,
 * the whole command fails with {@code CONFLICT} and nothing of it is written.
 */
public record RowOp(Kind kind, long tableId, String partition, byte[] pk, byte[] row, byte[] oldPk,
                    Long expectedSeq) {

    /** An op without a precondition on the version (INSERT, TTL eviction). */
    public RowOp(Kind kind, long tableId, String partition, byte[] pk, byte[] row, byte[] oldPk) {
        this(kind, tableId, partition, pk, row, oldPk, null);
    }

    /** What the op does to the row at {@code pk}. */
    public enum Kind {
        /** Adds a row; fails the whole command if a live row has the key. */
        INSERT,
        /**
         * Replaces a live row; without an expected seq a no-op if the row is gone by the time it applies, with
         * one a {@code CONFLICT}.
         */
        UPDATE,
        /** Marks a live row deleted (a new version with {@code _deleted = true}). */
        SOFT_DELETE,
        /** Removes the row (STREAM tables and TTL eviction). */
        HARD_DELETE
    }
}
