package io.kalamdb.engine.api;

import io.kalamdb.engine.ColumnInfo;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An open scan: its columns first, then its rows in batches of bounded size until the last; ask for one batch at a
 * time. Close it when done early (it closes itself after its last batch and on any failure).
 */
public interface ScanCursor extends AutoCloseable {

    /** The result's columns and types, known before any row is read. */
    List<ColumnInfo> columns();

    /**
     * The next rows, at most {@code maxRows} of them; a batch that says {@link RowBatch#isLast()} ends the scan.
     * Fails with {@code STATEMENT_CANCELLED} or {@code STATEMENT_TIMEOUT} when the scan's control says so.
     */
    CompletionStage<RowBatch> nextBatch(int maxRows);

    /** Releases the scan; idempotent, safe from any thread. */
    @Override
    void close();
}
