package io.kalamdb.engine;

import java.util.List;

/**
 * The result of one statement: either rows (with a schema) or a message, always with a row count and the
 * user the statement ran as.
 *
 * <p>Row values are Java objects by column type: Boolean; Short (SmallInt); Integer (Int); Long (BigInt);
 * Float; Double; BigDecimal (Decimal); String (Text, Json text, canonical Uuid); byte[] (Bytes);
 * Long microseconds since the epoch (Timestamp, DateTime, Time of day); Integer days since the epoch (Date);
 * or null.
 *
 * @param schema    the columns of a rows result, or null for a message result
 * @param rows      the rows, or null for a message result
 * @param truncated whether the default or maximum row limit cut the rows short (PROTOCOL deviation 2)
 */
public record StatementResult(List<ColumnInfo> schema, List<Object[]> rows, long rowCount, String message,
                              String asUser, boolean truncated) {

    public static StatementResult message(String message, long rowCount, String asUser) {
        return new StatementResult(null, null, rowCount, message, asUser, false);
    }

    public static StatementResult rows(List<ColumnInfo> schema, List<Object[]> rows, String asUser,
                                       boolean truncated) {
        return new StatementResult(schema, rows, rows.size(), null, asUser, truncated);
    }

    public boolean hasRows() {
        return rows != null;
    }
}
