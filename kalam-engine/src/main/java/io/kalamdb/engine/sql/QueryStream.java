package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one open query, read in batches straight from Calcite's lazy result set: nothing is held beyond the
 * batch being read, and nothing caps how many rows come out in all. Batches are read one at a time (the methods
 * are synchronized), from any thread; the stream closes itself after its last row and on any failure.
 */
public final class QueryStream implements AutoCloseable {
    private final String sql;
    private final List<ColumnInfo> schema;
    private final int[] jdbcTypes;
    private final ResultSet rows;
    private final ScanScope scope;
    private final Runnable release;
    private boolean done;
    private boolean closed;

    QueryStream(String sql, List<ColumnInfo> schema, int[] jdbcTypes, ResultSet rows, ScanScope scope,
                Runnable release) {
        this.sql = requireNonNull(sql, "sql is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.jdbcTypes = requireNonNull(jdbcTypes, "jdbcTypes is null");
        this.rows = requireNonNull(rows, "rows is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.release = requireNonNull(release, "release is null");
    }

    /** The result's columns, known before the first row is read. */
    public List<ColumnInfo> schema() {
        return schema;
    }

    /**
     * Up to {@code maxRows} next rows (stored representation); fewer, possibly none, once the result ends, which
     * {@link #isDone()} then says. Runs in the query's scan scope; the caller sets the statement control.
     */
    public synchronized List<Object[]> next(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        if (closed) {
            if (done) {
                return List.of();
            }
            throw new IllegalStateException("the query stream is closed");
        }
        return scope.run(() -> {
            List<Object[]> batch = new ArrayList<>(Math.min(maxRows, 1024));
            try {
                while (batch.size() < maxRows) {
                    if (!rows.next()) {
                        done = true;
                        close();
                        break;
                    }
                    batch.add(QueryRunner.row(rows, jdbcTypes, schema));
                }
                return batch;
            } catch (SQLException | RuntimeException e) {
                close();
                throw QueryRunner.translate(e, sql);
            }
        });
    }

    /** Whether the last row has been read. */
    public synchronized boolean isDone() {
        return done;
    }

    /** Releases the result set and the query's connection; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close();
        } catch (SQLException ignored) {
            // the connection below is closed anyway
        }
        release.run();
    }
}
