package io.kalamdb.engine.hot;

/**
 * One row version as stored: its {@code _seq}, its soft-delete flag and the user column values aligned with
 * the table's current columns.
 */
public record StoredRow(long seq, boolean deleted, Object[] values) {
}
