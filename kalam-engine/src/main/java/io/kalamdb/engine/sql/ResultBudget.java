package io.kalamdb.engine.sql;

import java.math.BigDecimal;

/**
 * The bytes one query result may hold before it is cut. Rows are counted by an estimate of their size as JSON
 * text (a string by its length, bytes by their base64 length, any other value by a small constant), which is
 * also the order of their size on the heap. The first row is always admitted, so that a result makes progress
 * even when one row is larger than the budget; a cut result says {@code truncated: true} (PROTOCOL deviation 2).
 */
public final class ResultBudget {
    /** The estimate of a number, boolean, timestamp or null, and of the separators around any value. */
    private static final int SCALAR_BYTES = 24;

    private final long maxBytes;
    private long usedBytes;
    private int admittedRows;

    public ResultBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A budget that never runs out (reads whose rows must all be seen, such as those of DML). */
    public static ResultBudget unlimited() {
        return new ResultBudget(Long.MAX_VALUE);
    }

    /** Whether {@code row} fits in what is left; a row that fits is counted. */
    public boolean admit(Object[] row) {
        long size = estimateBytes(row);
        if (admittedRows > 0 && usedBytes + size > maxBytes) {
            return false;
        }
        usedBytes += size;
        admittedRows++;
        return true;
    }

    /** The bytes counted so far. */
    public long usedBytes() {
        return usedBytes;
    }

    /** The estimated size of one row as JSON. */
    static long estimateBytes(Object[] row) {
        long size = 2;
        for (Object value : row) {
            size += switch (value) {
                case String s -> s.length() + SCALAR_BYTES;
                case byte[] b -> (b.length + 2L) / 3 * 4 + SCALAR_BYTES;
                case BigDecimal d -> d.precision() + SCALAR_BYTES;
                case null, default -> SCALAR_BYTES;
            };
        }
        return size;
    }
}
