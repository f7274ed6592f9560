package io.kalamdb.engine.service;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.StatementControl;
import io.kalamdb.engine.api.RowBatch;
import io.kalamdb.engine.api.ScanCursor;
import io.kalamdb.engine.sql.QueryStream;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link ScanCursor} over an open {@link QueryStream}: each batch is read on the service's executor under the
 * scan's statement control, so a cancel or the role's timeout stops it mid-batch.
 */
final class LocalScanCursor implements ScanCursor {
    private final QueryStream stream;
    private final StatementControl control;
    private final Executor executor;

    LocalScanCursor(QueryStream stream, StatementControl control, Executor executor) {
        this.stream = requireNonNull(stream, "stream is null");
        this.control = requireNonNull(control, "control is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    @Override
    public List<ColumnInfo> columns() {
        return stream.schema();
    }

    @Override
    public CompletionStage<RowBatch> nextBatch(int maxRows) {
        if (maxRows < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("maxRows must be positive: "
                    + maxRows));
        }
        CompletableFuture<RowBatch> reply = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    List<Object[]> rows = control.run(() -> stream.next(maxRows));
                    reply.complete(new RowBatch(rows, stream.isDone()));
                } catch (RuntimeException | Error e) {
                    stream.close();
                    reply.completeExceptionally(LocalKalamService.asKalam(e));
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close();
            reply.completeExceptionally(LocalKalamService.asKalam(e));
        }
        return reply;
    }

    @Override
    public void close() {
        control.cancel(); // a batch being read stops at its next row
        stream.close();
    }
}
