package io.kalamdb.engine.sql;

/**
 * What a table scan of the current statement may see: the subject user's partition of USER and STREAM
 * tables, and whether soft-deleted rows are included (only when the statement names {@code _deleted}).
 * Set on the executing thread for the duration of one statement.
 *
 * @param reader what the statement reads through instead of the table's own reader (an open transaction's
 *     snapshot with its staged rows), or null
 */
public record ScanScope(String userId, boolean includeDeleted, io.kalamdb.engine.hot.PartitionReader reader) {
    private static final ThreadLocal<ScanScope> CURRENT = new ThreadLocal<>();

    /** A scope that reads through each table's own reader. */
    public ScanScope(String userId, boolean includeDeleted) {
        this(userId, includeDeleted, null);
    }

    /** The reader a scan in this scope uses: the scope's own if set, else {@code tableReader}. */
    public io.kalamdb.engine.hot.PartitionReader readerOr(io.kalamdb.engine.hot.PartitionReader tableReader) {
        return reader != null ? reader : tableReader;
    }

    public static ScanScope current() {
        ScanScope s = CURRENT.get();
        if (s == null) {
            throw new IllegalStateException("no scan scope on this thread");
        }
        return s;
    }

    /** Runs {@code body} with this scope set on the current thread. */
    public <T> T run(java.util.function.Supplier<T> body) {
        ScanScope previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
